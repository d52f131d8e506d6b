import EventLogTesting
import Foundation
import Postgres
import Testing
import TrainingDomain

/// A training sergeant and FTOs working a recruit through the academy into field training,
/// through the real binary; every bad input is one line, non-zero, and appends nothing.
@Suite struct SergeantCLITests {
    @Test("sergeant and FTO workflow end to end, with bad input refused and nothing appended")
    func workflow() async throws {
        try await TestDatabase.with { database in
            var env = database.environment
            func muster(_ arguments: [String], as user: String = "sgt.okafor") throws -> CLITests.Run {
                env["MUSTER_USER"] = user
                return try CLITests.muster(arguments, environment: env.merging(["MUSTER_USER": user]) { $1 })
            }
            func ok(_ arguments: [String], as user: String = "sgt.okafor") throws {
                let run = try muster(arguments, as: user)
                #expect(run.status == 0, "\(arguments): \(run.error)")
            }
            func eventCount() async throws -> Int {
                let client = try await database.client()
                let count = try await client.rows("SELECT count(*) FROM muster.events") { try $0.decode(Int.self, row: $1, column: 0) }[0]
                await client.close()
                return count
            }
            env["MUSTER_USER"] = nil
            #expect(try CLITests.muster(["user", "add", "chief.perez", "--name", "Chief Perez", "--role", "chief"], environment: env).status == 0)
            try ok(["user", "add", "sgt.okafor", "--name", "Sgt. Okafor", "--role", "training_sergeant"], as: "chief.perez")
            try ok(["user", "add", "fto.ramos", "--name", "Ofc. Ramos", "--role", "fto"])
            try ok(["user", "add", "fto.chen", "--name", "Ofc. Chen", "--role", "fto"])
            try ok(["trainee", "hire", "--name", "Dana Whitfield", "--badge", "R-2291", "--hire-date", "2026-01-05", "--id", "t-1"])
            try ok(["user", "add", "t-1", "--name", "Dana Whitfield", "--role", "trainee"])
            try ok([
                "academy", "enroll", "t-1", "--class", "OC-26-1", "--academy", "Orange County SRA", "--start", "2026-01-12", "--date", "2026-01-06",
            ])
            for (domain, test) in [
                ("LD 1", "written"), ("LD 3", "written"), ("LD 20", "written"), ("LD 20", "scenario"), ("LD 33", "skills"),
                ("LD 35", "qualification"), ("LD 42", "written"),
            ] {
                try ok([
                    "academy", "test", "t-1", "--domain", domain, "--test", test, "--pass", "--score", "90", "--instructor", "Vance", "--date",
                    "2026-05-01",
                ])
            }
            try ok(["academy", "graduate", "t-1", "--date", "2026-07-10"])
            try ok(["ft", "start", "t-1", "--date", "2026-07-13"])
            try ok(["user", "appoint-coordinator", "sgt.okafor", "--effective", "2026-01-02"], as: "chief.perez")
            try ok(["fto", "certificate", "fto.ramos", "--number", "BC-40112", "--date", "2019-05-01"])
            try ok(["fto", "patrol", "fto.ramos", "--date", "2019-06-01"])
            try ok(["fto", "qualify", "fto.ramos", "--date", "2024-03-01"])
            try ok(["ft", "orientation", "t-1", "--from", "2026-07-13", "--topic", "general orders", "--topic", "dispatch", "--date", "2026-07-17"])
            try ok(["ft", "assign-fto", "t-1", "--fto", "fto.ramos", "--phase", "1", "--date", "2026-07-13"])
            let csv = FileManager.default.temporaryDirectory.appendingPathComponent("ratings-\(UUID()).csv")
            let others = TrainingPolicy.pasadenaDefault.fieldTraining.categories.filter { !["report_writing", "radio_use"].contains($0) }
            try ("category,rating\nreport_writing,3\nradio_use,N/O\n" + others.map { "\($0.rawValue),4\n" }.joined())
                .write(to: csv, atomically: true, encoding: .utf8)
            let allFour = FileManager.default.temporaryDirectory.appendingPathComponent("ratings-\(UUID()).json")
            try ("{" + TrainingPolicy.pasadenaDefault.fieldTraining.categories.map { "\"\($0.rawValue)\": 4" }.joined(separator: ", ") + "}")
                .write(to: allFour, atomically: true, encoding: .utf8)
            try ok(
                ["ft", "dor", "t-1", "--ratings-file", csv.path, "--narrative", "Report needed two rewrites.", "--date", "2026-07-14"],
                as: "fto.ramos")
            try ok(["ft", "dor", "t-1", "--ratings-file", allFour.path, "--date", "2026-07-15"], as: "fto.ramos")

            let before = try await eventCount()
            let badCSV = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).csv")
            try "category,rating\nreport_writing,4\ndriving_normal,eight\n".write(to: badCSV, atomically: true, encoding: .utf8)
            let refusals: [([String], String, String)] = [
                (["ft", "dor", "t-nobody", "--rating", "report_writing=4", "--date", "2026-07-16"], "fto.ramos", "trainee t-nobody is not on file"),
                (
                    ["ft", "dor", "t-1", "--rating", "report_writing=9", "--narrative", "x", "--date", "2026-07-16"], "fto.ramos",
                    "rating for report writing is 9; ratings run 1–7"
                ),
                (
                    ["ft", "dor", "t-1", "--rating", "report_writing=4", "--date", "2999-01-01"], "fto.ramos",
                    "shift date 2999-01-01 is in the future"
                ),
                (
                    ["ft", "dor", "t-1", "--rating", "report_writing=4", "--date", "2026-07-16"], "fto.chen",
                    "FTO fto.chen is not assigned to phase 1"
                ),
                (
                    ["ft", "dor", "t-1", "--ratings-file", badCSV.path, "--date", "2026-07-16"], "fto.ramos",
                    "line 3: rating \"eight\" for \"driving_normal\" must be 1–7"
                ),
                (["ft", "dor", "t-1", "--rating", "report_writing=2", "--date", "2026-07-16"], "fto.ramos", "need a narrative"),
                (
                    ["ft", "dor", "t-1", "--rating", "report_writing=4", "--date", "2026-07-16"], "fto.ramos",
                    "18 of 19 categories are neither rated nor marked N/O"
                ),
                (["ft", "complete-phase", "t-1", "--phase", "1", "--date", "2026-07-20"], "sgt.okafor", "phase 1 has no phase evaluation"),
                (
                    [
                        "ft", "evaluate-phase", "t-1", "--phase", "1", "--ratings-file", allFour.path, "--recommend", "advance", "--narrative",
                        "Ready", "--date", "2026-07-20",
                    ], "fto.ramos", "trains this phase and cannot also evaluate it"
                ),
                (["ft", "ack-task", "t-1", "--task", "dui_arrest", "--date", "2026-07-20"], "t-1", "dui_arrest has not been signed off"),
                (["ft", "complete-phase", "t-1", "--phase", "1", "--date", "2026-09-01"], "fto.ramos", "may not sign off a phase"),
            ]
            for (arguments, user, message) in refusals {
                let run = try muster(arguments, as: user)
                #expect(run.status != 0, "\(arguments)")
                #expect(run.error.contains(message), "\(arguments): \(run.error)")
                #expect(run.error.split(separator: "\n").count == 1, "one line: \(run.error)")
            }
            #expect(try await eventCount() == before)

            // A script that runs a command again with its request id records it once.
            let request = UUID().uuidString
            let weekly = [
                "ft", "weekly", "t-1", "--summary", "Steady week.", "--strength", "officer_safety", "--needs-improvement", "report_writing",
                "--plan", "Two practice reports", "--date", "2026-07-17", "--request-id", request,
            ]
            try ok(weekly)
            let again = try muster(weekly)
            #expect(again.status == 0, "\(again.error)")
            #expect(try await eventCount() == before + 1)

            let history = try muster(["history", "t-1", "--json"])
            let lines = try JSONSerialization.jsonObject(with: Data(history.output.utf8)) as? [[String: Any]]
            #expect(lines?.count == 16)  // hire, enroll, 7 tests, graduate, start, orientation, assign, 2 DORs, the weekly report
            #expect(lines?.filter { $0["role"] as? String == "fto" }.count == 2)
            try await CLITests.projectionsCaughtUp(env)
            let show = try muster(["trainee", "show", "t-1", "--json"])
            #expect(show.output.contains(#""stage" : "field_training""#))
            #expect(show.output.contains(#""phase" : 1"#))
            let record = try muster(["ft", "completion-record", "t-1", "--json"])
            #expect(record.output.contains(#""coordinator" : "sgt.okafor""#), "\(record.output)")
            #expect(record.output.contains("the FTO's attestation of competence"))
        }
    }
}
