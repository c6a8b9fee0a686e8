#include <pthread.h>
#include <poll.h>
#include <unistd.h>
#include <stdio.h>
#include <sys/socket.h>
int sv[2];
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER; pthread_cond_t c = PTHREAD_COND_INITIALIZER;
void *busy(void *x) { struct pollfd p = { sv[0], POLLIN, 0 }; for (;;) { poll(&p, 1, 0); } }
void *waiter(void *x) { pthread_mutex_lock(&m); pthread_cond_wait(&c, &m); return 0; }
void *reader(void *x) { char b[4]; read(sv[1], b, 4); return 0; }
int main(int argc, char **argv) {
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  pthread_t t; pthread_create(&t, 0, busy, 0); pthread_create(&t, 0, waiter, 0); pthread_create(&t, 0, reader, 0);
  FILE *o = fopen(argv[1], "w"); fprintf(o, "%d", getpid()); fclose(o);
  sleep(30);
}
