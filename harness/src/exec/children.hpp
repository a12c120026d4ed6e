#pragma once
// The driver's children. run_process tracks each process it starts, so that the interrupt handler
// can kill their groups and so that sweep_orphans can tell them from every other child of the
// driver: the orphans a workload leaves (a grandchild that called setsid() escapes its group's
// kill), which the kernel hands to the driver because it is a subreaper.
#include <sys/types.h>

namespace cibench::children {

// Held across fork() and tracking the new pid: no sweep can run in between and take the new child
// for an orphan. Claims a slot (throws Error(internal) when all are taken).
class TrackedFork {
public:
  TrackedFork();
  ~TrackedFork(); // in the parent; the forked child execs or _exits without unwinding
  TrackedFork(const TrackedFork&) = delete;
  TrackedFork& operator=(const TrackedFork&) = delete;

  void started(pid_t pid); // the parent's side, once the child's group exists

private:
  int slot_;
  bool started_ = false;
};

// Waits for a tracked child and stops tracking it; returns its wait status.
int reap(pid_t pid);

// Kills and reaps every child of this process that is not tracked, until none is left (killing one
// hands its own children to the driver). Never touches a tracked child: a parallel job's Valgrind
// is safe.
void sweep_orphans();

// For the interrupt handler: async-signal-safe.
void kill_tracked_groups();

} // namespace cibench::children
