#include <mutex>
#include <thread>
#include <condition_variable>
#include <chrono>
#include <fstream>
#include <unistd.h>
std::mutex a, b; std::mutex cm; std::condition_variable cv; bool ready=false;
struct Account { std::mutex m; int bal=0; };
Account acc1, acc2;
void transfer(Account& from, Account& to) {
  std::lock_guard<std::mutex> g1(from.m); std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::lock_guard<std::mutex> g2(to.m);
}
int main(int argc, char** argv) {
  std::thread t1([]{ transfer(acc1, acc2); });
  std::thread t2([]{ transfer(acc2, acc1); });
  std::thread t3([]{ std::unique_lock<std::mutex> l(cm); cv.wait(l, []{return ready;}); });
  std::thread t4([]{ std::unique_lock<std::mutex> l(cm); cv.wait_for(l, std::chrono::hours(1)); });
  std::ofstream(argv[1]) << getpid();
  t1.join();
}
