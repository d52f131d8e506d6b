import EventLogTesting
import Foundation
import Postgres
import Testing

/// Users, a hire, and the compliance reviewer's replay through the real binary.
@Suite struct ComplianceCLITests {
    @Test("users are recorded with roles; history, status as-of and known-at replay the record")
    func usersHistoryAndStatus() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            func muster(_ arguments: [String]) throws -> CLITests.Run { try CLITests.muster(arguments, environment: env) }
            #expect(try muster(["user", "add", "chief.perez", "--name", "Chief Perez", "--role", "chief"]).status == 0)
            let refused = try muster(["user", "add", "sgt.okafor", "--name", "Sgt. Okafor", "--role", "training_sergeant"])
            #expect(refused.status != 0)
            #expect(refused.error.contains("--as NAME"))
            #expect(
                try muster(["user", "add", "sgt.okafor", "--name", "Sgt. Okafor", "--role", "training_sergeant", "--as", "chief.perez"]).status == 0)

            let future = try muster([
                "trainee", "hire", "--name", "Dana Whitfield", "--badge", "R-2291", "--hire-date", "2999-01-01", "--id", "t-1", "--as", "sgt.okafor",
            ])
            #expect(future.status != 0)
            #expect(future.error.contains("Dana Whitfield (R-2291): hire date 2999-01-01 is in the future"))
            let stranger = try muster(["trainee", "hire", "--name", "X", "--badge", "1", "--hire-date", "2026-01-01", "--as", "nobody"])
            #expect(stranger.error.contains("unknown user nobody"))

            let hire = try muster([
                "trainee", "hire", "--name", "Dana Whitfield", "--badge", "R-2291", "--hire-date", "2026-01-05", "--id", "t-1", "--as", "sgt.okafor",
            ])
            #expect(hire.status == 0, "\(hire.error)")
            #expect(hire.output.contains("as trainee t-1"))

            let history = try muster(["history", "t-1", "--json"])
            #expect(history.status == 0, "\(history.error)")
            let lines = try JSONSerialization.jsonObject(with: Data(history.output.utf8)) as? [[String: Any]]
            #expect(lines?.count == 1)
            #expect(lines?.first?["actor"] as? String == "sgt.okafor")
            #expect(lines?.first?["role"] as? String == "training_sergeant")
            #expect(lines?.first?["occurredOn"] as? String == "2026-01-05")

            try await CLITests.projectionsCaughtUp(env)
            let show = try muster(["trainee", "show", "t-1", "--json"])
            #expect(show.status == 0)
            #expect(show.output.contains(#""stage" : "hired""#))
            // Business time: before the hire there was no record; after it, there is.
            #expect(try muster(["status", "t-1", "--as-of", "2026-01-04"]).error.contains("no record of trainee t-1 at that point"))
            #expect(try muster(["status", "t-1", "--as-of", "2026-01-05"]).status == 0)
            // Recorded time: the log learned of it today, so it knew nothing on an earlier day.
            #expect(try muster(["status", "t-1", "--known-at", "2026-01-10"]).status != 0)
            #expect(try muster(["status", "t-1", "--as-of", "2026-13-01"]).error.contains("YYYY-MM-DD"))
        }
    }
}
