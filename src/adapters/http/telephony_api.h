// TelephonyApi: input from the telephony system (call detail records and agent state
// changes, idempotent by call id) and the call KPIs, seats on duty and drill-down to calls.
// docs/telephony.md (the API for vendors) and docs/kpi.md (the definitions).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "adapters/http/api_module.h"
#include "adapters/http/route_table.h"
#include "ports/telephony_store.h"

namespace hotline::adapters::http {

// A call record / agent state change in the JSON of docs/telephony.md, validated; an error
// message starts with `prefix` then the field ("calls[3].answered_at: ..."). Shared with
// `hotline telephony import`.
Result<domain::kpi::CallRecord> ParseCallJson(const nlohmann::json& o, const std::string& prefix);
Result<domain::kpi::AgentStateChange> ParseAgentStateJson(const nlohmann::json& o,
                                                          const std::string& prefix);

class TelephonyApi final : public ApiModule {
 public:
  explicit TelephonyApi(ports::TelephonyStore& store) : store_(store) {}

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;

 private:
  using Route = RouteEntry<PlainHandler<TelephonyApi>>;
  // Serves the routes and documents them (route_table.h).
  static const std::vector<Route>& Table();

  HttpResponse PostCalls(RequestContext& ctx);
  HttpResponse PostAgentStates(RequestContext& ctx);
  HttpResponse Kpi(RequestContext& ctx);
  HttpResponse Calls(RequestContext& ctx);

  ports::TelephonyStore& store_;
};

}  // namespace hotline::adapters::http
