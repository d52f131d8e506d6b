import EventLogTesting
import Foundation
import Postgres
import Testing

/// The projector, as an operator runs it, killed with SIGKILL again and again at random points
/// (an adopted policy in the log, writes going on), must end with read models equal to a fresh
/// rebuild, row for row; and an event nobody can read never stops it.
@Suite struct ProjectorTests {
    /// Every read-model row, in a deterministic order (ties broken by the key).
    static func readModels(_ client: PostgresClient) async throws -> String {
        try await client.rows(
            """
            SELECT coalesce((SELECT string_agg(t::text, E'\\n' ORDER BY t.trainee_id) FROM muster.trainee_status t), '') || E'\\n--\\n' ||
                   coalesce((SELECT string_agg(c::text, E'\\n' ORDER BY c.person_stream, c.course_type) FROM muster.coursework_currency c), '')
                   || E'\\n--\\n' ||
                   coalesce((SELECT string_agg(q.stream_id || '/' || q.stream_version || ' ' || q.reason, E'\\n'
                                               ORDER BY q.stream_id, q.stream_version) FROM muster.projection_quarantine q), '')
            """
        ) { try $0.decode(String.self, row: $1, column: 0) }[0]
    }

    @Test("killed 20 times at random points with an adopted policy in the log: the read models equal a fresh rebuild")
    func killedProjector() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            func muster(_ arguments: [String]) throws -> CLITests.Run { try CLITests.muster(arguments, environment: env) }
            #expect(try muster(["seed", "demo"]).status == 0)
            // A stricter policy in force since a month ago: every row is judged by it.
            let shown = try muster(["policy", "show", "--json"])
            var policy = try #require(try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any])
            policy["name"] = "Stricter program"
            var training = try #require(policy["fieldTraining"] as? [String: Any])
            training["soloClearanceRecentDORs"] = 12
            policy["fieldTraining"] = training
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString).json").path
            try JSONSerialization.data(withJSONObject: policy).write(to: URL(fileURLWithPath: file))
            let effective = ISO8601DateFormatter.string(from: Date().addingTimeInterval(-30 * 86_400), timeZone: .gmt, formatOptions: [.withFullDate])
            let adopted = try muster(["policy", "adopt", file, "--effective", effective, "--as", "chief.perez"])
            #expect(adopted.status == 0, "\(adopted.error)")

            for round in 0..<20 {
                let process = Process()
                process.executableURL = CLITests.binary
                process.arguments = ["projections", "run", "--batch", String(Int.random(in: 20...120))]
                process.environment = env
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                try await Task.sleep(for: .milliseconds(Int.random(in: 30...500)))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                if round % 4 == 0 {
                    // Writes go on between crashes.
                    let course = try muster(
                        [
                            "course", "--officer", "fto.chen", "--type", "use_of_force", "--title", "Refresher \(round)", "--hours", "4",
                            "--provider", "PPD", "--as", "sgt.okafor",
                        ])
                    #expect(course.status == 0, "\(course.error)")
                }
            }
            try await CLITests.projectionsCaughtUp(env)
            let client = try await database.client()
            let live = try await Self.readModels(client)
            #expect(try muster(["projections", "rebuild"]).status == 0)
            let rebuilt = try await Self.readModels(client)
            #expect(live == rebuilt, "\(Set(live.split(separator: "\n")).symmetricDifference(rebuilt.split(separator: "\n")))")
            #expect(!live.isEmpty)
            await client.close()
        }
    }

    @Test("an unreadable event among thousands is quarantined; every other row is right; an operator's decision clears it")
    func poisonEvent() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            func muster(_ arguments: [String]) throws -> CLITests.Run { try CLITests.muster(arguments, environment: env) }
            #expect(try muster(["seed", "demo"]).status == 0)
            try await CLITests.projectionsCaughtUp(env)
            let client = try await database.client()
            let before = try await Self.readModels(client)
            // Written behind the application's back: a type no code knows, and a known type whose
            // payload does not decode.
            for (stream, type, data) in [
                ("trainee-r-16", "field-training.teleport.v9", "{}"), ("trainee-r-05", "coursework.course-completed.v1", #"{"hours":"many"}"#),
            ] {
                try await client.execute(
                    """
                    INSERT INTO muster.events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at)
                    SELECT \(stream), max(stream_version) + 1, gen_random_uuid(), \(type), 2, \(data)::jsonb,
                           '{"actor_id":"someone","actor_role":"training_sergeant"}', now()
                    FROM muster.events WHERE stream_id = \(stream)
                    """)
            }
            try await CLITests.projectionsCaughtUp(env)
            let after = try await Self.readModels(client)
            // Every row of another person is as it was.
            let changed = Set(after.split(separator: "\n").map(String.init)).symmetricDifference(before.split(separator: "\n").map(String.init))
            #expect(changed.allSatisfy { $0.contains("r-16") || $0.contains("r-05") || $0.contains("cannot be read") }, "\(changed)")
            let status = try muster(["projections", "status"])
            #expect(status.output.contains("2 entries cannot be read"), "\(status.output)")
            #expect(status.output.contains("field-training.teleport.v9"))
            let show = try muster(["trainee", "show", "r-16"])
            #expect(show.output.contains("NEEDS ATTENTION: entry at version"), "\(show.output)")
            let history = try muster(["history", "r-05"])
            #expect(history.output.contains("CANNOT BE READ: missing field"), "\(history.output)")
            let refused = try muster(["ft", "weekly", "r-16", "--summary", "Fine week", "--as", "sgt.okafor"])
            #expect(refused.error.contains("nothing more is recorded here until a system administrator"), "\(refused.error)")

            // The operator's recorded decision clears it.
            #expect(try muster(["user", "add", "it.admin", "--name", "IT", "--role", "system_administrator", "--as", "chief.perez"]).status == 0)
            let lines = try JSONSerialization.jsonObject(with: Data(try muster(["history", "r-16", "--json"]).output.utf8)) as? [[String: Any]]
            let poisoned = try #require(lines?.first { $0["unreadable"] != nil }?["entry"] as? String)
            let resolve = try muster([
                "events", "resolve", "r-16", "--entry", poisoned, "--set-aside", "--reason", "Corrupt import", "--as", "it.admin",
            ])
            #expect(resolve.status == 0, "\(resolve.error)")
            try await CLITests.projectionsCaughtUp(env)
            #expect(try muster(["projections", "status"]).output.contains("1 entries cannot be read"))
            #expect(!(try muster(["trainee", "show", "r-16"]).output.contains("NEEDS ATTENTION")))
            #expect(try muster(["ft", "weekly", "r-16", "--summary", "Fine week", "--as", "sgt.okafor"]).status == 0)
            // A rebuild agrees with the live runner, quarantine included.
            let live = try await Self.readModels(client)
            #expect(try muster(["projections", "rebuild"]).status == 0)
            #expect(try await Self.readModels(client) == live)
            await client.close()
        }
    }
}
