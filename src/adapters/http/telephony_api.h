// TelephonyApi: input from the telephony system (call detail records and agent state
// changes, idempotent by call id) and the call KPIs, seats on duty and drill-down to calls.
// docs/telephony.md (the API for vendors) and docs/kpi.md (the definitions).
#pragma once

#include "adapters/http/api_module.h"
#include "ports/telephony_store.h"

namespace hotline::adapters::http {

class TelephonyApi final : public ApiModule {
 public:
  explicit TelephonyApi(ports::TelephonyStore& store) : store_(store) {}

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;

 private:
  HttpResponse PostCalls(RequestContext& ctx);
  HttpResponse PostAgentStates(RequestContext& ctx);
  HttpResponse Kpi(RequestContext& ctx);
  HttpResponse Calls(RequestContext& ctx);

  ports::TelephonyStore& store_;
};

}  // namespace hotline::adapters::http
