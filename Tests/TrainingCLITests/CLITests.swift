import EventLogTesting
import Foundation
import Postgres
import Testing

/// Runs the built `muster` binary as a user would, against a fresh database.
@Suite struct CLITests {
    struct Run: Sendable {
        var status: Int32
        var output: String
        var error: String
    }

    static var binary: URL {
        // The test bundle sits beside the products in the build folder.
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [products, products.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("muster")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: ".build/debug/muster")
    }

    static func muster(_ arguments: [String], environment: [String: String]) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = environment
        environment["MUSTER_SCHEMA_DIR"] = TestDatabase.schemaDirectory.path
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
            error: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `muster projections run` until the read models have every event (the safe horizon
    /// can lag behind other tests' transactions for a moment).
    static func projectionsCaughtUp(_ environment: [String: String]) async throws {
        for _ in 0..<300 {
            #expect(try muster(["projections", "run"], environment: environment).status == 0)
            let status = try muster(["projections", "status", "--json"], environment: environment)
            let behind = (try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])?["behind"] as? Int
            if behind == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("projections did not catch up")
    }

    @Test("top-level help lists the command groups")
    func help() throws {
        let run = try Self.muster(["--help"], environment: ProcessInfo.processInfo.environment)
        #expect(run.status == 0)
        for group in ["db", "events", "audit"] { #expect(run.output.contains("  \(group)")) }
        #expect(run.output.contains("MUSTER_DATABASE_URL"))
    }

    @Test("migrate, append, read, seal and verify end to end; bad input is one clear line and appends nothing")
    func endToEnd() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let env = database.environment
            let migrate = try Self.muster(["db", "migrate"], environment: env)
            #expect(migrate.status == 0, "\(migrate.error)")
            #expect(migrate.output.contains("applied  0001_event_log.sql"))
            #expect(try Self.muster(["db", "migrate"], environment: env).output.contains("up to date"))

            #expect(try Self.muster(["user", "add", "chief.perez", "--name", "Chief Perez", "--role", "chief"], environment: env).status == 0)
            let admin = try Self.muster(
                ["user", "add", "it.admin", "--name", "IT Admin", "--role", "system_administrator", "--as", "chief.perez"], environment: env)
            #expect(admin.status == 0, "\(admin.error)")
            let retraction = #"{"entry":"e-1","reason":"keyed twice"}"#
            let append = try Self.muster(
                [
                    "events", "append", "trainee-42", "--type", "record.entry-retracted.v1", "--data", retraction, "--as", "it.admin",
                    "--expected-version", "none", "--date", "2026-05-01",
                ],
                environment: env)
            #expect(append.status == 0, "\(append.error)")
            #expect(append.output.contains("as version 1"))

            let operatorAppend = ["events", "append", "trainee-42", "--type", "record.entry-retracted.v1"]
            let bad: [([String], String)] = [
                (["events", "append", "Trainee 42", "--type", "t.v1", "--data", "{}", "--as", "it.admin"], "category-id"),
                (operatorAppend + ["--data", "{oops", "--as", "it.admin"], "does not read as record.entry-retracted.v1"),
                (operatorAppend + ["--data", #"{"entry":5,"reason":"x"}"#, "--as", "it.admin"], "field entry must be text"),
                (["events", "append", "trainee-42", "--type", "t.v1", "--data", "{}", "--as", "it.admin"], "not a registered event type"),
                (operatorAppend + ["--data", retraction], "say who is acting"),
                (operatorAppend + ["--data", retraction, "--as", "chief.perez"], "the raw append is an operator's tool"),
                (
                    operatorAppend + ["--data", retraction, "--as", "it.admin", "--expected-version", "3"],
                    "expected at version 3 but it is at version 1"
                ),
                (operatorAppend + ["--data", retraction, "--as", "it.admin", "--date", "soon"], "--date"),
                (["events", "read", "trainee-nobody"], "has no events"),
            ]
            for (arguments, message) in bad {
                let run = try Self.muster(arguments, environment: env)
                #expect(run.status != 0, "\(arguments)")
                #expect(run.error.contains(message), "\(arguments): \(run.error)")
            }

            let read = try Self.muster(["events", "read", "trainee-42", "--json"], environment: env)
            #expect(read.status == 0)
            let events = try JSONSerialization.jsonObject(with: Data(read.output.utf8)) as? [[String: Any]]
            #expect(events?.count == 1)
            #expect(events?.first?["type"] as? String == "record.entry-retracted.v1")
            let metadata = events?.first?["metadata"] as? [String: Any]
            #expect(metadata?["actor_id"] as? String == "it.admin")
            #expect(metadata?["actor_role"] as? String == "system_administrator")
            #expect(metadata?["source"] as? String == "operator:events-append")

            #expect(try Self.muster(["audit", "seal"], environment: env).status == 0)
            let verify = try Self.muster(["audit", "verify"], environment: env)
            #expect(verify.status == 0)
            #expect(verify.output.hasPrefix("OK: 3 events in 2 streams and 1 seals verify."), "\(verify.output)")
        }
    }

    @Test("audit verify exits non-zero and names what was tampered with")
    func verifyFindsTampering() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            #expect(try Self.muster(["user", "add", "chief.perez", "--name", "Chief Perez", "--role", "chief"], environment: env).status == 0)
            let admin = ["user", "add", "it.admin", "--name", "IT Admin", "--role", "system_administrator", "--as", "chief.perez"]
            #expect(try Self.muster(admin, environment: env).status == 0)
            for note in ["a", "b", "c"] {
                let run = try Self.muster(
                    [
                        "events", "append", "trainee-7", "--type", "record.entry-retracted.v1", "--data", #"{"entry":"x","reason":"\#(note)"}"#,
                        "--as", "it.admin",
                    ],
                    environment: env)
                #expect(run.status == 0, "\(run.error)")
            }
            let client = try await database.client()
            try await client.withConnection { connection in
                try connection.transaction { connection in
                    try connection.query("SET LOCAL session_replication_role = replica")
                    try connection.query(
                        "UPDATE muster.events SET data = '{\"entry\":\"x\",\"reason\":\"z\"}' WHERE stream_id = 'trainee-7' AND stream_version = 2")
                }
            }
            await client.close()
            let verify = try Self.muster(["audit", "verify", "--json"], environment: env)
            #expect(verify.status == 1)
            let report = try JSONSerialization.jsonObject(with: Data(verify.output.utf8)) as? [String: Any]
            #expect(report?["ok"] as? Bool == false)
            let findings = report?["findings"] as? [[String: Any]]
            #expect(findings?.count == 1)
            #expect(findings?.first?["kind"] as? String == "edited")
            #expect(findings?.first?["stream"] as? String == "trainee-7")
            #expect(findings?.first?["version"] as? Int == 2)
        }
    }

    @Test("an unmigrated database tells the user to migrate")
    func unmigrated() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let run = try Self.muster(["events", "streams"], environment: database.environment)
            #expect(run.status != 0)
            #expect(run.error.contains("muster db migrate"))
        }
    }
}
