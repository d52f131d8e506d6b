import EventLogTesting
import Foundation
import Postgres
import Testing

/// Command staff's questions through the real binary, on the seeded demo department.
@Suite struct CommandStaffCLITests {
    @Test("seed demo, run projections, and answer pipeline, readiness, expiring, forecast, queue and workload")
    func commandStaffViews() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            func muster(_ arguments: [String]) throws -> CLITests.Run { try CLITests.muster(arguments, environment: env) }
            let seed = try muster(["seed", "demo", "--json"])
            #expect(seed.status == 0, "\(seed.error)")
            #expect(seed.output.contains(#""recruits" : 30"#))
            #expect(try muster(["seed", "demo"]).error.contains("already has users"))
            // The horizon may lag behind other tests' transactions: run until nothing is behind.
            var behind = -1
            for _ in 0..<300 where behind != 0 {
                #expect(try muster(["projections", "run"]).status == 0)
                let status =
                    try JSONSerialization.jsonObject(with: Data(try muster(["projections", "status", "--json"]).output.utf8)) as? [String: Any]
                behind = status?["behind"] as? Int ?? -1
                if behind != 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(behind == 0)
            let pipeline = try JSONSerialization.jsonObject(with: Data(try muster(["pipeline", "--json"]).output.utf8)) as? [[String: Any]]
            let counts = Dictionary(uniqueKeysWithValues: (pipeline ?? []).map { ($0["stage"] as? String ?? "", $0["count"] as? Int ?? 0) })
            #expect(counts == ["academy": 10, "field_training": 9, "probation": 10, "separated": 1])
            let expiring = try muster(["expiring", "--within", "90d"])
            // 380 days ago plus 12 calendar months: overdue by 14 or 15 days depending on leap years.
            #expect(expiring.output.contains("overdue by 15 days") || expiring.output.contains("overdue by 14 days"))
            #expect(expiring.output.contains("expires in 40 days") || expiring.output.contains("expires in 41 days"))
            let readiness = try muster(["readiness", "--within", "90d", "--json"])
            let board = try JSONSerialization.jsonObject(with: Data(readiness.output.utf8)) as? [[String: Any]]
            // Nine are in field training; the one whose phase 1 ran past its minimum is expected
            // today plus the three phases still ahead (16 weeks), beyond the window.
            #expect(board?.count == 8)
            #expect(try muster(["queue"]).output.contains("phase 1 evaluation"))
            #expect(try muster(["forecast", "--openings", "30"]).output.contains("19 recruits in the pipeline"))
            #expect(try muster(["queue"]).output.contains("phase 2 evaluation"))
            #expect(try muster(["fto-workload"]).output.contains("fto.chen"))
            #expect(try muster(["expiring", "--within", "soon"]).error.contains("number of days"))
            let rebuild = try muster(["projections", "rebuild"])
            #expect(rebuild.status == 0, "\(rebuild.error)")
            #expect(try muster(["pipeline"]).output.contains("probation       10"))
            #expect(try muster(["audit", "verify"]).status == 0)
        }
    }
}
