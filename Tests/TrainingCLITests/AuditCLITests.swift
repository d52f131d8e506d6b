import EventLogTesting
import Foundation
import Postgres
import Testing

/// The compliance reviewer's and operator's audit commands, with their bad input.
@Suite struct AuditCLITests {
    @Test("bad audit input is one clear line and writes nothing: a malformed seal hash, a missing or wrong key file")
    func badInput() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            func muster(_ arguments: [String]) throws -> CLITests.Run { try CLITests.muster(arguments, environment: env) }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
            #expect(try muster(["audit", "keygen", "--out", folder.path]).status == 0)
            let again = try muster(["audit", "keygen", "--out", folder.path])
            #expect(again.status != 0 && again.error.contains("already exists"))
            let cases: [([String], String)] = [
                (["audit", "verify", "--expect-seal", "not-a-hash"], "64 hex digits"),
                (["audit", "seal", "--key", "/nonexistent/muster-seal.key"], "cannot read /nonexistent/muster-seal.key"),
                (["audit", "seal", "--key", folder.appendingPathComponent("muster-seal.pub").path], "is it the public key?"),
                (["audit", "verify", "--public-key", folder.appendingPathComponent("muster-seal.key").path], "is it the private key?"),
            ]
            for (arguments, words) in cases {
                let run = try muster(arguments)
                #expect(run.status != 0, "\(arguments)")
                #expect(run.error.contains(words), "\(arguments): \(run.error)")
                #expect(run.error.split(separator: "\n").count <= 2, "one line: \(run.error)")
            }
            let client = try await database.client()
            let seals = try await client.rows("SELECT count(*) FROM muster.seals") { try $0.decode(Int.self, row: $1, column: 0) }
            #expect(seals == [0])
            await client.close()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test("streams are listed a page at a time, with the way to the next page")
    func streamsPage() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            func muster(_ arguments: [String]) throws -> CLITests.Run { try CLITests.muster(arguments, environment: env) }
            #expect(try muster(["seed", "demo"]).status == 0)
            let first = try muster(["events", "streams", "--limit", "10", "--prefix", "trainee-"])
            #expect(first.output.split(separator: "\n").count == 12)
            #expect(first.error.contains("muster events streams --after trainee-r-10 --prefix trainee-"), "\(first.error)")
            let next = try muster(["events", "streams", "--limit", "10", "--prefix", "trainee-", "--after", "trainee-r-10"])
            #expect(next.output.contains("trainee-r-11"))
            #expect(!next.output.contains("trainee-r-10 "))
        }
    }
}
