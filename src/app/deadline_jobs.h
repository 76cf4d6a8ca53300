// DeadlineJobs: the time-limit job (时限监控). One pass, at an instant of the injected
// clock, finds the tickets whose reply deadline is near or past and takes the due steps of
// the escalation ladder (domain/kpi/ladder.h) through the lifecycle, as the system user
// (reminder note, urge) or the supervisor (supervise): each step once per ticket and
// deadline, across restarts (the KpiStore's job_steps ledger), and missed steps after a
// downtime once each, in ladder order. `hotline serve` calls RunOnce every minute;
// `hotline jobs run` calls it once. Thread-compatible: one pass at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/ticket_service.h"
#include "common/result.h"
#include "domain/kpi/ladder.h"
#include "ports/kpi_store.h"
#include "ports/ticket_store.h"

namespace hotline::app {

struct DeadlineJobOptions {
  domain::kpi::DeadlineLadder ladder = domain::kpi::DeadlineLadder::Defaults();
  std::string system_login = "system";
  // Who supervises (督办 is a supervisor's action); "" = the first active supervisor of the
  // centre. Without one, supervise steps are taken as an urge by the system.
  std::string supervisor_login;
  int page = 500;  // tickets read per store query
};

struct JobStepReport {
  std::string number;
  std::string step;     // ladder code, e.g. "overdue"
  std::string action;   // note, urge, supervise
  std::string outcome;  // fired, recovered, failed
  std::string detail;   // the error for failed
  Instant due_at;
};

struct JobRunReport {
  Instant at;
  int64_t scanned = 0;     // tickets looked at
  int64_t reminded = 0;    // reminder notes written
  int64_t urged = 0;       // urges
  int64_t supervised = 0;  // supervisions
  int64_t recovered = 0;   // steps found taken by an interrupted earlier pass
  int64_t skipped = 0;     // steps already taken by an earlier pass
  int64_t failed = 0;
  std::vector<JobStepReport> steps;  // what fired (and failed) in this pass
};

class DeadlineJobs {
 public:
  DeadlineJobs(TicketService& service, ports::TicketStore& tickets, ports::KpiStore& ledger,
               DeadlineJobOptions options = {});

  // One pass at `now` (the service's clock should read `now` too: events are stamped by it).
  Result<JobRunReport> RunOnce(Instant now);

 private:
  TicketService& service_;
  ports::TicketStore& tickets_;
  ports::KpiStore& ledger_;
  DeadlineJobOptions options_;
};

}  // namespace hotline::app
