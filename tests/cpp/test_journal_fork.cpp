// A journal used by a child made by fork(): the child shares the parent's file and lock,
// so its appends must be refused (WrongProcessError naming the file), never acknowledged
// and then overwritten by the parent's next write. A Ledger, a value, works in the child.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/io/journal.hpp"
#include "temp_dir.hpp"
#include "tracking_fixtures.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

// The exit code of `child` run in a process made by fork(); the child leaves with _exit,
// so Catch2's state in it is never reported or torn down twice.
int exit_code_after(const std::function<int()>& child) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int code = 3;  // an unexpected exception
    try {
      code = child();
    } catch (...) {
    }
    ::_exit(code);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

std::vector<Event> enrolments(EventId first, std::uint32_t count) {
  std::vector<Event> events;
  for (std::uint32_t r = 0; r < count; ++r) {
    events.push_back(enrolled(first + r, r, at(session_date(1), 1)));
  }
  return events;
}

}  // namespace

TEST_CASE("a forked child's append is refused and the parent's records survive",
          "[journal][fork][quick]") {
  const TempDir dir("journal-fork");
  const auto path = dir / "events.journal";
  const Roster roster = tracking_roster(4);
  {
    Journal journal = Journal::open(path, roster);
    journal.append(enrolments(1, 2));

    const int code = exit_code_after([&] {
      try {
        journal.append(enrolments(10, 1));  // registration 0 again, under a new id
      } catch (const WrongProcessError& error) {
        const std::string message = error.what();
        const bool named = message.find(path.string()) != std::string::npos &&
                           message.find(std::to_string(::getppid())) != std::string::npos;
        return named ? 0 : 2;
      }
      return 1;  // acknowledged in the child: the fault
    });
    CHECK(code == 0);
    CHECK(exit_code_after([&] {
            try {
              (void)journal.snapshot();
            } catch (const WrongProcessError&) {
              return 0;
            }
            return 1;
          }) == 0);

    CHECK(journal.append(enrolments(20, 4)).added == 4);
  }
  const Journal again = Journal::open(path, roster);
  CHECK(again.recovery().records == 2);
  CHECK(again.ledger().size() == 6);
  CHECK_FALSE(again.ledger().find(10));
  CHECK(again.ledger().find(22));
}

TEST_CASE("a ledger copied into a forked child answers there", "[ledger][fork][quick]") {
  const Roster roster = tracking_roster(4);
  Ledger ledger(roster);
  ledger.append(enrolments(1, 4));
  const Statuses before = ledger.statuses();  // fills the cache the child must not lock

  CHECK(exit_code_after([&] {
          ledger.append(std::vector<Event>{attended(30, 0, kBasic, 1)});
          const Statuses statuses = ledger.statuses();
          const auto modules = statuses.modules(RegistrationIndex(0));
          return ledger.size() == 5 && !modules.empty() && modules[0].attended == 1 ? 0 : 1;
        }) == 0);
  CHECK(ledger.size() == 4);
  CHECK(ledger.statuses() == before);
}
