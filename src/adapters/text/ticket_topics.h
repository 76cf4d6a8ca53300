// Hot topics and clusters of similar reports over the tickets of a store: loads the tickets
// of a period (and of the periods before it, for comparison), keeps those in the viewer's
// scope, indexes them in a SimilarityFinder built for the call, and runs FindHotTopics or
// ClusterReports. Used by the HTTP module, the CLI and the reports (docs/hot_topics.md).
// Free functions; the store must be thread-safe (TicketStore is); nothing is kept between
// calls.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "adapters/text/hot_topics.h"
#include "common/result.h"
#include "common/time.h"
#include "domain/category.h"
#include "domain/org.h"
#include "domain/ticket.h"
#include "ports/ticket_store.h"

namespace hotline::adapters::text {

struct TicketTopicRequest {
  Instant from;  // [from, to)
  Instant to;
  std::optional<domain::RegionId> region;      // tickets in this region or below it
  std::optional<domain::CategoryId> category;  // tickets in this category or below it
  // The viewer's data scope: tickets it rejects are left out (null: every ticket).
  std::function<bool(const domain::Ticket&)> visible;
  size_t limit = 20;
  size_t min_size = 3;  // clusters: fewer reports are not listed
  // More tickets than this in the loaded periods: kResourceExhausted (narrow the request).
  size_t max_tickets = 200000;
};

struct TicketHotTopics {
  std::vector<HotTopic> topics;
  size_t reports = 0;           // tickets in the period (in scope)
  size_t baseline_reports = 0;  // tickets in the baseline periods (in scope)
  size_t baseline_periods = 0;  // baseline periods with data
};

// kInvalidArgument if from ≥ to; kResourceExhausted beyond max_tickets; store errors.
Result<TicketHotTopics> FindTicketHotTopics(ports::TicketStore& store, const domain::OrgTree& org,
                                            const domain::CategoryTree& categories,
                                            const Tokenizer& tokenizer,
                                            const TicketTopicRequest& request,
                                            HotTopicOptions options = {});

struct TicketCluster {
  std::vector<domain::Ticket> tickets;  // oldest first
  std::vector<std::string> top_terms;   // a label
  size_t open = 0;                      // tickets still being handled
  std::string master;                   // suggested ticket to merge into: the oldest open one
  std::vector<std::string> mergeable;   // the others that the merge action accepts now
};

// Clusters of similar reports registered in [from, to), most mergeable first, then largest.
// Same errors as FindTicketHotTopics.
Result<std::vector<TicketCluster>> FindTicketClusters(ports::TicketStore& store,
                                                      const Tokenizer& tokenizer,
                                                      const domain::OrgTree& org,
                                                      const TicketTopicRequest& request);

// The category a ticket is counted under for growth (its level-2 ancestor's path, or its
// own path at level 1) and the area (its region's county; its township when the request is
// within a county). Empty when unknown.
ReportFacets FacetsOf(const domain::Ticket& ticket, const domain::OrgTree& org,
                      const domain::CategoryTree& categories, bool township_areas);

}  // namespace hotline::adapters::text
