#include "adapters/text/ticket_topics.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "domain/lifecycle.h"

namespace hotline::adapters::text {

namespace {

constexpr int kPage = 5000;

bool IsOpen(domain::TicketState s) {
  using S = domain::TicketState;
  return s == S::kRegistered || s == S::kDispatched || s == S::kSigned ||
         s == S::kReturnRequested || s == S::kReplied || s == S::kSuspended || s == S::kEscalated;
}

Report ReportOf(const domain::Ticket& t) {
  return {t.number,
          t.title,
          t.content,
          t.address,
          std::to_string(t.region.value()),
          ToUnix(t.created_at)};
}

bool InCategory(const domain::CategoryTree& categories, domain::CategoryId c,
                domain::CategoryId want) {
  if (!c.valid()) {
    return false;
  }
  const auto chain = categories.Ancestry(c);
  return std::find(chain.begin(), chain.end(), want) != chain.end();
}

// Tickets registered in [from, to) that pass the request's filters and scope.
Result<std::vector<domain::Ticket>> Load(ports::TicketStore& store, const domain::OrgTree& org,
                                         const domain::CategoryTree* categories,
                                         const TicketTopicRequest& request, Instant from,
                                         Instant to) {
  ports::TicketFilter f;
  f.created_from = from;
  f.created_to = to;
  f.limit = kPage;
  std::vector<domain::Ticket> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> page, store.List(f));
    for (auto& t : page) {
      if (request.region && (!t.region.valid() || !org.IsRegionWithin(t.region, *request.region))) {
        continue;
      }
      if (request.category &&
          (categories == nullptr || !InCategory(*categories, t.category, *request.category))) {
        continue;
      }
      if (request.visible && !request.visible(t)) {
        continue;
      }
      out.push_back(std::move(t));
      if (out.size() > request.max_tickets) {
        return Error{ErrorCode::kResourceExhausted,
                     fmt::format("所选期间和范围内的工单超过 {} 件，请缩短期间或限定区域、分类",
                                 request.max_tickets)};
      }
    }
    if (static_cast<int>(page.size()) < kPage) {
      break;
    }
    f.after_id = page.back().id.value();
  }
  return out;
}

// When the store's first ticket was registered (0 if it holds none).
Result<int64_t> DataSince(ports::TicketStore& store) {
  ports::TicketFilter f;
  f.limit = 1;
  HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> first, store.List(f));
  return first.empty() ? 0 : ToUnix(first.front().created_at);
}

}  // namespace

ReportFacets FacetsOf(const domain::Ticket& ticket, const domain::OrgTree& org,
                      const domain::CategoryTree& categories, bool township_areas) {
  ReportFacets facets;
  if (ticket.category.valid() && categories.Find(ticket.category) != nullptr) {
    const auto chain = categories.Ancestry(ticket.category);  // self first
    facets.category = categories.PathOf(chain.size() >= 2 ? chain[chain.size() - 2] : chain[0]);
  }
  const domain::UnitLevel level =
      township_areas ? domain::UnitLevel::kTownship : domain::UnitLevel::kCounty;
  const domain::Region* region = org.FindRegion(ticket.region);
  while (region != nullptr && region->level > level) {
    region = org.FindRegion(region->parent);
  }
  if (region != nullptr && region->level == level) {
    facets.area = region->name;
  }
  return facets;
}

Result<TicketHotTopics> FindTicketHotTopics(ports::TicketStore& store, const domain::OrgTree& org,
                                            const domain::CategoryTree& categories,
                                            const Tokenizer& tokenizer,
                                            const TicketTopicRequest& request,
                                            HotTopicOptions options) {
  if (request.from >= request.to) {
    return InvalidArgument("期间的开始应早于结束");
  }
  const Duration length = request.to - request.from;
  options.from = ToUnix(request.from);
  options.to = ToUnix(request.to);
  options.limit = request.limit;
  HOTLINE_ASSIGN_OR_RETURN(options.data_since, DataSince(store));
  const auto periods = static_cast<int64_t>(options.baseline_periods);
  HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> tickets,
                           Load(store, org, &categories, request,
                                request.from - length * std::max<int64_t>(periods, 1), request.to));
  bool township_areas = false;
  if (request.region) {
    const domain::Region* r = org.FindRegion(*request.region);
    township_areas = r != nullptr && r->level >= domain::UnitLevel::kCounty;
  }
  std::vector<Report> reports;
  std::vector<ReportFacets> facets;
  reports.reserve(tickets.size());
  facets.reserve(tickets.size());
  SimilarityFinder finder(tokenizer);
  const int64_t previous = ToUnix(request.from - length);
  TicketHotTopics out;
  for (const auto& t : tickets) {
    reports.push_back(ReportOf(t));
    facets.push_back(FacetsOf(t, org, categories, township_areas));
    if (reports.back().time >= options.from) {
      ++out.reports;
    } else {
      ++out.baseline_reports;
    }
    // Only the period and the one before are clustered; earlier ones only count.
    if (reports.back().time >= previous) {
      HOTLINE_RETURN_IF_ERROR(finder.Upsert(reports.back()));
    }
  }
  for (int64_t i = periods; i >= 1; --i) {
    if (options.from - i * length.count() >= options.data_since) {
      out.baseline_periods = static_cast<size_t>(i);
      break;
    }
  }
  out.topics = FindHotTopics(finder, reports, facets, options);
  return out;
}

Result<std::vector<TicketCluster>> FindTicketClusters(ports::TicketStore& store,
                                                      const Tokenizer& tokenizer,
                                                      const domain::OrgTree& org,
                                                      const TicketTopicRequest& request) {
  if (request.from >= request.to) {
    return InvalidArgument("期间的开始应早于结束");
  }
  HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> tickets,
                           Load(store, org, nullptr, request, request.from, request.to));
  SimilarityFinder finder(tokenizer);
  std::vector<Report> reports;
  std::unordered_map<std::string, size_t> by_number;
  for (size_t i = 0; i < tickets.size(); ++i) {
    reports.push_back(ReportOf(tickets[i]));
    by_number.emplace(tickets[i].number, i);
    HOTLINE_RETURN_IF_ERROR(finder.Upsert(reports.back()));
  }
  ClusterOptions options;
  options.min_size = std::max<size_t>(request.min_size, 2);
  std::vector<TicketCluster> clusters;
  for (const auto& c : ClusterReports(finder, reports, options)) {
    TicketCluster cluster;
    std::vector<const Report*> members;
    for (const auto& id : c.ids) {
      members.push_back(&reports[by_number.at(id)]);
    }
    cluster.top_terms = SharedTerms(tokenizer, members);
    for (const auto& id : c.ids) {
      const domain::Ticket& t = tickets[by_number.at(id)];
      cluster.tickets.push_back(t);
      if (IsOpen(t.state)) {
        ++cluster.open;
        if (cluster.master.empty()) {
          cluster.master = t.number;
        }
      }
    }
    for (const auto& t : cluster.tickets) {
      if (t.number != cluster.master && !cluster.master.empty() &&
          domain::IsAllowedIn(domain::Action::kMerge, t.state)) {
        cluster.mergeable.push_back(t.number);
      }
    }
    clusters.push_back(std::move(cluster));
  }
  std::stable_sort(clusters.begin(), clusters.end(),
                   [](const TicketCluster& a, const TicketCluster& b) {
                     if (a.mergeable.size() != b.mergeable.size()) {
                       return a.mergeable.size() > b.mergeable.size();
                     }
                     return a.tickets.size() > b.tickets.size();
                   });
  if (clusters.size() > request.limit) {
    clusters.resize(request.limit);
  }
  return clusters;
}

}  // namespace hotline::adapters::text
