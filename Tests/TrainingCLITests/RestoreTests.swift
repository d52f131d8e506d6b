import EventLogTesting
import Foundation
import Postgres
import Testing

/// A restore is a normal day: a database dumped and restored into a fresh cluster (whose
/// transaction counter starts far below the stored ids) answers every read, projection and
/// rebuild exactly as before, in the same order, and new appends are read after the restored ones.
@Suite struct RestoreTests {
    @Test("backup, restore into a second cluster: the same log in the same order, the same boards, and new entries after the old")
    func restoreIntoAnotherCluster() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            func muster(_ arguments: [String], _ environment: [String: String]) throws -> CLITests.Run {
                try CLITests.muster(arguments, environment: environment)
            }
            #expect(try muster(["seed", "demo"], env).status == 0)
            try await CLITests.projectionsCaughtUp(env)
            #expect(try muster(["audit", "seal"], env).status == 0)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("muster-\(UUID().uuidString).dump").path
            let backup = try muster(["db", "backup", file], env)
            #expect(backup.status == 0, "\(backup.error)")

            let cluster = try ScratchCluster.start("restore")
            defer {
                cluster.remove()
                try? FileManager.default.removeItem(atPath: file)
            }
            let admin = try await PostgresClient.connect(cluster.configuration)
            try await admin.execute("CREATE DATABASE restored")
            await admin.close()
            var restored = env
            restored["MUSTER_DATABASE_URL"] = cluster.url("restored")
            let restore = try muster(["db", "restore", file], restored)
            #expect(restore.status == 0, "\(restore.error)")
            #expect(restore.output.contains("log epoch 2"), "\(restore.output)")
            #expect(try muster(["db", "restore", file], restored).error.contains("restore into an empty database"))

            // Every read, in the same order; every board; the audit.
            for reads in [
                ["events", "all", "--limit", "100000", "--json"], ["pipeline", "--json"], ["readiness", "--within", "365d", "--json"],
                ["expiring", "--json"], ["history", "r-03", "--json"], ["status", "r-16", "--json"], ["projections", "status", "--json"],
            ] {
                let before = try muster(reads, env)
                let after = try muster(reads, restored)
                #expect(after.status == 0, "\(reads): \(after.error)")
                #expect(after.output == before.output, "\(reads) differs after the restore")
            }
            let verify = try muster(["audit", "verify"], restored)
            #expect(verify.status == 0, "\(verify.output)")

            // New entries after the restore come after the restored ones, and the projector sees them.
            let course = [
                "course", "--officer", "fto.chen", "--type", "use_of_force", "--title", "After the restore", "--hours", "4", "--provider", "PPD",
                "--as", "sgt.okafor",
            ]
            #expect(try muster(course, restored).status == 0)
            let all =
                try JSONSerialization.jsonObject(with: Data(try muster(["events", "all", "--limit", "100000", "--json"], restored).output.utf8))
                as? [[String: Any]]
            #expect((all?.last?["data"] as? String)?.contains("After the restore") == true)
            #expect((try muster(["projections", "status", "--json"], restored).output).contains(#""behind" : 1"#))
            try await CLITests.projectionsCaughtUp(restored)
            let rebuild = try muster(["projections", "rebuild"], restored)
            #expect(rebuild.status == 0, "\(rebuild.error)")
            #expect(try muster(["pipeline", "--json"], restored).output == (try muster(["pipeline", "--json"], env)).output)
        }
    }
}
