#include "app/change_feed.h"

#include <vector>

namespace hotline::app {

int64_t ChangeFeed::Subscribe(Listener listener) {
  std::lock_guard lock(mu_);
  int64_t id = next_id_++;
  listeners_.emplace(id, std::move(listener));
  return id;
}

void ChangeFeed::Unsubscribe(int64_t id) {
  std::lock_guard lock(mu_);
  listeners_.erase(id);
}

void ChangeFeed::Publish(TicketChange change) {
  // Listeners are called under the lock so that an Unsubscribe that returned never sees its
  // listener called afterwards; listeners only queue work, so the lock is held briefly.
  std::lock_guard lock(mu_);
  change.sequence = ++sequence_;
  for (const auto& [id, listener] : listeners_) {
    listener(change);
  }
}

size_t ChangeFeed::Subscribers() const {
  std::lock_guard lock(mu_);
  return listeners_.size();
}

int64_t ChangeFeed::Published() const {
  std::lock_guard lock(mu_);
  return sequence_;
}

}  // namespace hotline::app
