/*
 * Three threads deadlocked in a cycle of pthread mutexes.
 *
 *   ingest: locks queue_mutex, then wants index_mutex
 *   index:  locks index_mutex, then wants store_mutex
 *   flush:  locks store_mutex, then wants queue_mutex
 *
 * A barrier makes each hold its first mutex before asking for the second, so the cycle closes
 * every time. main joins 'ingest' (blocked for good). Threads are named with
 * pthread_setname_np; each writes "pid<TAB>tid<TAB>role<TAB>name" to $SCENARIO_OUT/roles.tsv.
 *
 * Build: gcc -g -O0 -pthread -o c_mutex_cycle c_mutex_cycle.c
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t queue_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t index_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t store_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t all_hold_first;
static pthread_mutex_t roles_mutex = PTHREAD_MUTEX_INITIALIZER;

struct stage {
    const char *name;
    pthread_mutex_t *first;
    pthread_mutex_t *second;
    volatile long tid;
};

static void record_role(const char *role, const char *name) {
    const char *out = getenv("SCENARIO_OUT");
    char path[4096];
    snprintf(path, sizeof path, "%s/roles.tsv", out ? out : ".");
    pthread_mutex_lock(&roles_mutex);
    FILE *f = fopen(path, "a");
    if (f) {
        fprintf(f, "%d\t%ld\t%s\t%s\n", getpid(), (long)syscall(SYS_gettid), role, name);
        fclose(f);
    }
    pthread_mutex_unlock(&roles_mutex);
}

/* True when the thread sleeps in the kernel on a futex (/proc/self/task/<tid>/wchan). */
static int waits_on_futex(long tid) {
    char path[64], wchan[128] = "";
    snprintf(path, sizeof path, "/proc/self/task/%ld/wchan", tid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(wchan, 1, sizeof wchan - 1, f);
    fclose(f);
    wchan[n] = '\0';
    return strstr(wchan, "futex") != NULL;
}

static void hand_over(struct stage *s) {
    pthread_mutex_lock(s->second); /* never returns: the next stage holds it */
    pthread_mutex_unlock(s->second);
}

static void *run_stage(void *arg) {
    struct stage *s = arg;
    pthread_setname_np(pthread_self(), s->name);
    s->tid = (long)syscall(SYS_gettid);
    record_role(s->name, s->name);
    pthread_mutex_lock(s->first);
    pthread_barrier_wait(&all_hold_first);
    hand_over(s);
    pthread_mutex_unlock(s->first);
    return NULL;
}

int main(void) {
    static struct stage stages[] = {
        {"ingest", &queue_mutex, &index_mutex, 0},
        {"index", &index_mutex, &store_mutex, 0},
        {"flush", &store_mutex, &queue_mutex, 0},
    };
    pthread_t threads[3];
    record_role("main", "main");
    pthread_barrier_init(&all_hold_first, NULL, 3);
    for (int i = 0; i < 3; i++) pthread_create(&threads[i], NULL, run_stage, &stages[i]);
    /* READY once all three sit on their second mutex (at most 10 s of 20 ms polls). */
    struct timespec step = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 500; i++) {
        int blocked = 0;
        for (int k = 0; k < 3; k++) blocked += stages[k].tid && waits_on_futex(stages[k].tid);
        if (blocked == 3) break;
        nanosleep(&step, NULL);
    }
    printf("READY %d\n", getpid());
    fflush(stdout);
    pthread_join(threads[0], NULL);
    return 0;
}
