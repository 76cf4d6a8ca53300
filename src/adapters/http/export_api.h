// ExportApi: any ticket list as an Excel workbook: GET /api/v1/tickets.xlsx with the same
// filters and the same data scope and masking as GET /api/v1/tickets (libxlsxwriter).
#pragma once

#include "adapters/http/api_module.h"

namespace hotline::adapters::http {

class ExportApi final : public ApiModule {
 public:
  explicit ExportApi(app::TicketService& service) : service_(service) {}

  std::optional<HttpResponse> Handle(RequestContext& ctx) override;
  std::vector<RouteDoc> Routes() const override;

  // At most this many rows in one workbook (a narrower filter gets the rest).
  static constexpr int kMaxRows = 20000;

 private:
  app::TicketService& service_;
};

}  // namespace hotline::adapters::http
