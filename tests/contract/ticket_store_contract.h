// The store contract: behaviour every TicketStore + DirectoryStore adapter must show.
// An adapter's test instantiates it with a factory:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, TicketStoreContract, ::testing::Values(&MakeSqlite));
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "ports/directory_store.h"
#include "ports/ticket_store.h"

namespace hotline::testing {

struct StoreUnderTest {
  std::shared_ptr<ports::TicketStore> tickets;
  std::shared_ptr<ports::DirectoryStore> directory;  // may alias tickets
};

// Creates a fresh, empty store (its own temp database or schema).
using StoreFactory = StoreUnderTest (*)();

class TicketStoreContract : public ::testing::TestWithParam<StoreFactory> {};

}  // namespace hotline::testing
