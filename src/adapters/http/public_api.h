// PublicApi: the citizen portal's routes, open without login and rate-limited per address
// by Api: submit a request, track it with its number and the phone it was submitted with,
// read the reply, rate it. A wrong phone is answered exactly like an unknown number, so the
// portal reveals nothing to someone who guesses numbers.
#pragma once

#include <string>

#include "adapters/http/api_module.h"
#include "adapters/http/route_table.h"

namespace hotline::adapters::http {

class PublicApi final : public ApiModule {
 public:
  // `portal_login`: the system user the portal acts as (role system).
  PublicApi(app::TicketService& service, std::string portal_login)
      : service_(service), portal_login_(std::move(portal_login)) {}

  std::optional<HttpResponse> Handle(RequestContext&) override { return std::nullopt; }
  std::optional<HttpResponse> HandlePublic(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;

 private:
  using Route = RouteEntry<PlainHandler<PublicApi>>;
  // Serves the routes and documents them (route_table.h).
  static const std::vector<Route>& Table();

  HttpResponse Submit(RequestContext& ctx);
  // The request whose number is the path's third segment, for the phone in ?phone=.
  HttpResponse Track(RequestContext& ctx);
  HttpResponse Rate(RequestContext& ctx);

  app::TicketService& service_;
  const std::string portal_login_;
};

}  // namespace hotline::adapters::http
