// CoreApi: the routes of the ticket lifecycle: who am I, tickets (register, list with
// filters, show with history, act), a unit's work queues, the org tree, categories and the
// routing directory's suggestion.
#pragma once

#include "adapters/http/api_module.h"
#include "adapters/http/route_table.h"
#include "ports/directory_store.h"
#include "ports/ticket_store.h"

namespace hotline::adapters::http {

class CoreApi final : public ApiModule {
 public:
  CoreApi(app::TicketService& service, ports::TicketStore& tickets,
          ports::DirectoryStore& directory)
      : service_(service), tickets_(tickets), directory_(directory) {}

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;
  // Tickets by state and the overdue count, read from the store at each scrape.
  std::string MetricsText() override;

 private:
  using Route = RouteEntry<PlainHandler<CoreApi>>;
  // Serves the routes and documents them (route_table.h).
  static const std::vector<Route>& Table();

  HttpResponse Me(RequestContext& ctx);
  HttpResponse Register(RequestContext& ctx);
  HttpResponse List(RequestContext& ctx);
  // The ticket whose number is the path's second segment, with its history.
  HttpResponse Show(RequestContext& ctx);
  HttpResponse Act(RequestContext& ctx);
  HttpResponse Queue(RequestContext& ctx);
  HttpResponse Units(RequestContext& ctx);
  HttpResponse Regions(RequestContext& ctx);
  HttpResponse Categories(RequestContext& ctx);
  HttpResponse SuggestUnit(RequestContext& ctx);

  app::TicketService& service_;
  ports::TicketStore& tickets_;
  ports::DirectoryStore& directory_;
};

// Fills `filter` from the query of a ticket list (state, type, category, region, unit, text,
// phone, from, to, due_before, overdue, sort, after, limit), confined to a unit's own tickets
// for unit roles; the error response for a bad parameter.
std::optional<HttpResponse> TicketFilterFromQuery(RequestContext& ctx, ports::TicketFilter& filter);

// The open states whose reply deadline can pass (the unit still owes the reply).
std::vector<domain::TicketState> OwedStates();

}  // namespace hotline::adapters::http
