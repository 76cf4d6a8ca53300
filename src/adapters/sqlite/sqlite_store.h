// SqliteStore: the embedded store (one database file, WAL). Implements TicketStore and
// DirectoryStore. Thread-safe: writes from all threads go through one writer thread that
// commits them in groups (one durable fsync for many concurrent writers, each write in its
// own savepoint so one failure never affects another); reads use a pool of connections.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sqlite/db.h"
#include "ports/audit_log.h"
#include "ports/classifier_store.h"
#include "ports/credential_store.h"
#include "ports/directory_store.h"
#include "ports/kpi_store.h"
#include "ports/programme_store.h"
#include "ports/telephony_store.h"
#include "ports/ticket_store.h"

namespace hotline::adapters::sqlite {

struct SqliteOptions {
  std::string path;
  bool create = true;  // create the file and schema when missing
  std::string ticket_prefix = "SM";
  size_t max_group = 512;  // most writes committed in one transaction
  // synchronous=FULL (every commit on disk before it returns). Off only for bulk loads
  // such as the demo city, where a crash means starting over anyway.
  bool durable = true;
};

class SqliteStore final : public ports::TicketStore,
                          public ports::DirectoryStore,
                          public ports::AuditLog,
                          public ports::CredentialStore,
                          public ports::KpiStore,
                          public ports::TelephonyStore,
                          public ports::ProgrammeStore,
                          public ports::ClassifierStore {
 public:
  // Opens the store and applies pending schema migrations. kNotFound if the file is missing
  // and !create; kInternal if the schema is newer than this program.
  static Result<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // The schema version after migrations.
  int SchemaVersion() const { return schema_version_; }

  // Test hook: called inside write transactions at named points ("create.after_events",
  // "commit.after_events"); a non-OK status aborts that write as a failure would.
  void SetFaultHook(std::function<Status(std::string_view)> hook);

  // TicketStore
  Result<domain::Ticket> Create(domain::Ticket ticket,
                                std::vector<domain::TicketEvent> events) override;
  Status Commit(const std::vector<ports::TicketWrite>& writes) override;
  Result<domain::Ticket> Find(domain::TicketId id) override;
  Result<domain::Ticket> FindByNumber(const std::string& number) override;
  Result<std::vector<domain::TicketEvent>> History(domain::TicketId id) override;
  Result<std::vector<domain::Ticket>> List(const ports::TicketFilter& filter) override;
  Result<std::vector<std::pair<domain::TicketId, int64_t>>> ListVersions(
      const ports::TicketFilter& filter) override;
  Result<int64_t> Count(const ports::TicketFilter& filter) override;
  Result<ports::StoreSummary> Summary() override;
  Status RebuildProjections() override;
  Result<std::vector<std::string>> VerifyProjections() override;

  // DirectoryStore
  Status SaveOrg(const domain::OrgTree& org) override;
  Result<domain::OrgTree> LoadOrg() override;
  Status SaveCategories(const domain::CategoryTree& tree) override;
  Result<domain::CategoryTree> LoadCategories() override;
  Status SaveRouting(const domain::RoutingDirectory& directory) override;
  Result<domain::RoutingDirectory> LoadRouting() override;
  Status SetPasswordHash(domain::UserId user, const std::string& hash) override;
  Result<std::string> GetPasswordHash(const std::string& login) override;
  Status PutSetting(const std::string& key, const std::string& value) override;
  Result<std::optional<std::string>> GetSetting(const std::string& key) override;
  // Routing directory history (directory_admin.cc, schema 004)
  Status SaveRoutingChange(const domain::RoutingDirectory& directory,
                           const ports::RoutingChange& change) override;
  Result<std::vector<ports::RoutingChange>> RoutingHistory() override;

  // AuditLog (audit_log.cc)
  Status Append(const ports::AuditRecord& record) override;
  Result<std::vector<ports::AuditEntry>> Entries(int64_t after, int limit) override;
  Result<ports::AuditVerification> Verify() override;

  // CredentialStore (credentials.cc)
  Status PutSession(const ports::StoredSession& session) override;
  Result<std::optional<ports::StoredSession>> FindSession(const std::string& token_hash) override;
  Status DeleteSession(const std::string& token_hash) override;
  Result<int64_t> DeleteExpiredSessions(Instant now) override;
  Result<int64_t> CreateApiKey(const ports::ApiKeyRecord& key) override;
  Result<std::optional<ports::ApiKeyRecord>> FindApiKey(const std::string& key_hash) override;
  Result<std::vector<ports::ApiKeyRecord>> ListApiKeys() override;
  Status RevokeApiKey(int64_t id, Instant at) override;

  // KpiStore (kpi_store.cc): KPI facts and aggregates written with the events.
  Result<std::vector<ports::KpiGroupRow>> KpiSums(const ports::KpiQuery& q,
                                                  ports::KpiGroup group) override;
  Result<std::vector<ports::KpiTicketRef>> KpiTickets(const ports::KpiQuery& q,
                                                      domain::kpi::Measure measure,
                                                      int64_t after_id, int limit) override;
  Status RebuildKpi() override;
  Result<std::vector<std::pair<std::string, int64_t>>> KpiAggregateDump() override;
  Result<ports::StepClaim> ClaimStep(domain::TicketId ticket, const std::string& key,
                                     Instant at) override;
  Status FinishStep(domain::TicketId ticket, const std::string& key, int64_t seq) override;

  // TelephonyStore (telephony_store.cc): call detail records and agent states.
  Result<ports::UpsertCounts> PutCalls(const std::vector<domain::kpi::CallRecord>& calls) override;
  Result<ports::UpsertCounts> PutAgentStates(
      const std::vector<domain::kpi::AgentStateChange>& changes) override;
  Result<domain::kpi::CallSums> CallSumsBetween(Instant from, Instant to,
                                                const std::string& agent) override;
  Result<std::vector<ports::StoredCall>> ListCalls(const ports::CallQuery& q) override;
  Result<std::vector<domain::kpi::AgentStateChange>> AgentStatesBetween(Instant from,
                                                                        Instant to) override;

  // ProgrammeStore (programme_store.cc): campaigns, leader days, difficult cases, agent QA.
  Result<int64_t> CreateCampaign(const domain::programmes::Campaign& c) override;
  Status UpdateCampaign(const domain::programmes::Campaign& c, bool rule_changed) override;
  Status DeleteCampaign(int64_t id) override;
  Result<domain::programmes::Campaign> FindCampaign(int64_t id) override;
  Result<std::vector<domain::programmes::Campaign>> ListCampaigns() override;
  Status AddCampaignTickets(int64_t campaign, const std::vector<int64_t>& ticket_ids, bool manual,
                            int64_t scanned_to) override;
  Status RemoveCampaignTicket(int64_t campaign, int64_t ticket_id) override;
  Result<std::vector<ports::CampaignTicket>> CampaignTickets(int64_t campaign, int64_t after_id,
                                                             int limit) override;
  Result<int64_t> CampaignTicketCount(int64_t campaign) override;
  Result<domain::kpi::Sums> CampaignSums(int64_t campaign, const std::string& from,
                                         const std::string& to) override;
  Result<int64_t> CreateLeaderDay(const domain::programmes::LeaderDay& d) override;
  Status UpdateLeaderDay(const domain::programmes::LeaderDay& d) override;
  Status DeleteLeaderDay(int64_t id) override;
  Result<domain::programmes::LeaderDay> FindLeaderDay(int64_t id) override;
  Result<std::vector<domain::programmes::LeaderDay>> ListLeaderDays(const std::string& from,
                                                                    const std::string& to) override;
  Status LinkLeaderDayTicket(int64_t day, int64_t ticket_id) override;
  Status UnlinkLeaderDayTicket(int64_t day, int64_t ticket_id) override;
  Result<std::vector<int64_t>> LeaderDayTickets(int64_t day) override;
  Result<int64_t> CreateDifficultCase(const domain::programmes::DifficultCase& c) override;
  Status UpdateDifficultCase(const domain::programmes::DifficultCase& c,
                             const std::vector<domain::programmes::CaseNote>& new_notes) override;
  Result<domain::programmes::DifficultCase> FindDifficultCase(int64_t id) override;
  Result<std::vector<domain::programmes::DifficultCase>> ListDifficultCases(
      const ports::DifficultFilter& filter) override;
  Result<int64_t> CreateSheet(const domain::programmes::ScoreSheet& s) override;
  Status UpdateSheet(const domain::programmes::ScoreSheet& s) override;
  Result<domain::programmes::ScoreSheet> FindSheet(int64_t id) override;
  Result<std::vector<domain::programmes::ScoreSheet>> ListSheets() override;
  Result<int64_t> CreateInspection(const domain::programmes::Inspection& i) override;
  Result<std::vector<domain::programmes::Inspection>> ListInspections(
      const ports::InspectionFilter& filter) override;
  Result<std::string> CallAgent(const std::string& call_id) override;

  // ClassifierStore (classifier_store.cc): model versions and suggestions (schema 008).
  Result<int64_t> AddClassifierModel(const ports::ClassifierModelInfo& info,
                                     const std::string& model, bool activate) override;
  Status ActivateClassifierModel(int64_t version, Instant at) override;
  Result<std::vector<ports::ClassifierModelInfo>> ListClassifierModels() override;
  Result<std::optional<int64_t>> ActiveClassifierVersion() override;
  Result<std::string> LoadClassifierModel(int64_t version) override;
  Result<std::vector<ports::LabelledTicket>> DispatchedTickets(int64_t limit) override;
  Status PutClassifySuggestion(const ports::ClassifySuggestionRecord& record) override;
  Status PutClassifySuggestions(
      const std::vector<ports::ClassifySuggestionRecord>& records) override;
  Result<std::optional<ports::ClassifySuggestionRecord>> FindClassifySuggestion(
      domain::TicketId ticket) override;
  Result<std::vector<domain::SuggestionOutcome>> SuggestionOutcomes(const std::string& from,
                                                                    const std::string& to) override;

 private:
  struct WriteJob {
    std::function<Status(Db&)> fn;
    std::promise<Status> done;
  };
  class Reader;

  explicit SqliteStore(SqliteOptions options) : options_(std::move(options)) {}
  Status Migrate();
  // Runs `fn` inside a write transaction shared with other concurrent writers.
  Status RunWrite(std::function<Status(Db&)> fn);
  void WriterLoop();
  Result<std::unique_ptr<Db>> AcquireReader();
  void ReleaseReader(std::unique_ptr<Db> db);
  Status Fault(std::string_view point);
  Result<std::vector<domain::Ticket>> ReplayAll(Db& db);
  // KPI facts (event seq, fact) of a write, computed in the caller's thread from the stored
  // ticket before it (kpi_store.cc); kAborted when the stored version is not the expected one.
  using KpiFacts = std::vector<std::pair<int64_t, domain::kpi::Fact>>;
  Result<KpiFacts> KpiFactsFor(const ports::TicketWrite& write);
  Result<KpiFacts> KpiFactsForNew(const std::vector<domain::TicketEvent>& events);
  // Inside the write transaction: the facts and the daily aggregates.
  Status WriteKpiFacts(Db& db, int64_t ticket_id, const KpiFacts& facts);
  Status RebuildKpiIfNeeded();
  std::shared_ptr<const domain::WorkCalendar> KpiCalendar(Db& db);

  SqliteOptions options_;
  int schema_version_ = 0;
  std::unique_ptr<Db> writer_db_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::unique_ptr<WriteJob>> queue_;
  bool stopping_ = false;
  std::thread writer_;

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Db>> readers_;

  std::mutex kpi_mu_;
  std::string kpi_calendar_text_;
  std::shared_ptr<const domain::WorkCalendar> kpi_calendar_;

  std::mutex hook_mu_;
  std::function<Status(std::string_view)> fault_hook_;
};

}  // namespace hotline::adapters::sqlite
