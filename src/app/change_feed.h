// ChangeFeed: publishes every committed change of a ticket to whoever listens (the server's
// live-update streams, later the scheduler). Listeners run on the publishing thread, after
// the commit, and must be quick and must not call back into the feed. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "domain/lifecycle.h"
#include "domain/ticket.h"

namespace hotline::app {

struct TicketChange {
  domain::Ticket ticket;  // as it is after the change
  std::string action;     // the action's code, e.g. "dispatch", or "overdue" for a job's notice
  int64_t sequence = 0;   // increasing number of the change within this process
};

class ChangeFeed {
 public:
  using Listener = std::function<void(const TicketChange&)>;

  // Returns the subscription's id for Unsubscribe.
  int64_t Subscribe(Listener listener);
  void Unsubscribe(int64_t id);
  // Stamps the sequence and calls every listener.
  void Publish(TicketChange change);
  size_t Subscribers() const;
  int64_t Published() const;

 private:
  mutable std::mutex mu_;
  int64_t next_id_ = 1;
  int64_t sequence_ = 0;
  std::map<int64_t, Listener> listeners_;
};

}  // namespace hotline::app
