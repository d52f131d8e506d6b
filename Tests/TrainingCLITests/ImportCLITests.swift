import EventLogTesting
import Foundation
import Postgres
import Testing

/// `muster import` as a records clerk runs it, on the example folder (examples/backfill), and
/// the paper options of the recording commands.
@Suite struct ImportCLITests {
    static let example = TestDatabase.schemaDirectory.deletingLastPathComponent().appendingPathComponent("examples/backfill")

    static func muster(_ arguments: [String], _ environment: [String: String]) throws -> CLITests.Run {
        try CLITests.muster(arguments, environment: environment)
    }

    static func eventCount(_ database: TestDatabase) async throws -> Int {
        let client = try await database.client()
        let count = try await client.rows("SELECT count(*) FROM muster.events") { rows, row in try rows.decode(Int.self, row: row, column: 0) }
        await client.close()
        return count[0]
    }

    /// A copy of the example folder, changed by `edit` (file name → its text, nil to remove).
    static func exampleCopy(_ edit: (inout [String: String]) -> Void) throws -> URL {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: example.path) where name.hasSuffix(".csv") {
            files[name] = try String(contentsOf: example.appendingPathComponent(name), encoding: .utf8)
        }
        edit(&files)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }

    /// Replaces the first occurrence of `old` in `file`.
    static func replacing(_ old: String, with new: String, in file: String) -> (inout [String: String]) -> Void {
        { files in
            let text = files[file]!
            precondition(text.contains(old), "\(file) has no \(old)")
            files[file] = text.replacing(old, with: new, maxReplacements: 1)
        }
    }

    static var exampleRows: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: example.path).filter { $0.hasSuffix(".csv") }.reduce(0) { total, name in
            total + (try String(contentsOf: example.appendingPathComponent(name), encoding: .utf8)).split(separator: "\r\n").count - 1
        }) ?? 0
    }

    @Test("the example imports: a dry run writes nothing, the import writes everything once, a re-run nothing; the history says paper")
    func importsTheExample() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            let dry = try Self.muster(["import", Self.example.path, "--dry-run"], env)
            #expect(dry.status == 0, "\(dry.error)")
            let rows = Self.exampleRows
            #expect(rows > 250)
            #expect(dry.output.contains("dry run: \(rows) rows would record"))
            #expect(dry.output.contains("nothing was written"))
            #expect(dry.output.contains("academy_tests.csv line 8: pass_with_failing_score: Passed on the academy's re-score"))
            #expect(dry.error.contains("decided "))
            #expect(try await Self.eventCount(database) == 0)

            let done = try Self.muster(["import", Self.example.path, "--json"], env)
            #expect(done.status == 0, "\(done.error)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(done.output.utf8)) as? [String: Any])
            let entries = try #require(report["entries"] as? Int)
            #expect(report["dryRun"] as? Bool == false)
            #expect(report["rows"] as? Int == rows)
            #expect(entries > rows)
            #expect(try await Self.eventCount(database) == entries)
            #expect((report["people"] as? [String])?.contains("trainee r-05") == true)

            let again = try Self.muster(["import", Self.example.path], env)
            #expect(again.status == 0, "\(again.error)")
            #expect(again.output.contains("\(entries) entries of these rows were on record already"))
            #expect(again.output.contains("imported \(rows) rows: 0 entries recorded"))
            #expect(try await Self.eventCount(database) == entries)

            let history = try Self.muster(["history", "r-01"], env)
            #expect(history.status == 0, "\(history.error)")
            #expect(history.output.contains("from paper: Personnel order R-2301, signed 2024-02-05"))
            #expect(!history.output.contains("days late"))
        }
    }

    @Test("a probation extension signed on paper before the deadline is recorded after it with --from-paper and --signed-on, and refused without")
    func paperExtension() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            #expect(try Self.muster(["import", Self.example.path], env).status == 0)
            // Avery Kim's probation ended on 2026-03-03; the extension was signed on 2026-02-27.
            let extend = [
                "probation", "extend", "r-05", "--new-end", "2026-09-03", "--reason", "Report writing", "--date", "2026-02-27", "--as", "sgt.okafor",
            ]
            let refused = try Self.muster(extend, env)
            #expect(refused.status != 0)
            #expect(refused.error.contains("probation ended 2026-03-03; an extension must be signed before the end date"), "\(refused.error)")
            #expect(refused.error.contains("one signed on paper before then is recorded from that document"))

            let half = try Self.muster(extend + ["--from-paper", "Probation memo 26-8"], env)
            #expect(half.status != 0)
            #expect(half.error.contains("--from-paper and --signed-on go together"), "\(half.error)")

            let recorded = try Self.muster(extend + ["--from-paper", "Probation memo 26-8", "--signed-on", "2026-02-27"], env)
            #expect(recorded.status == 0, "\(recorded.error)")
            let history = try Self.muster(["history", "r-05"], env)
            #expect(history.output.contains("from paper: Probation memo 26-8, signed 2026-02-27"))
            let status = try Self.muster(["status", "r-05", "--json"], env)
            #expect(status.output.contains("2026-09-03"), "\(status.output) \(status.error)")
        }
    }

    @Test("--override records a plausibility check's override reason; without it the check refuses")
    func overrideReason() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            #expect(try Self.muster(["import", Self.example.path], env).status == 0)
            let test = [
                "academy", "test", "r-06", "--domain", "LD 20", "--test", "scenario", "--pass", "--score", "65", "--instructor", "Dep. Vance",
                "--date", "2026-08-01", "--as", "inst.vance",
            ]
            let refused = try Self.muster(test, env)
            #expect(refused.status != 0)
            #expect(refused.error.contains("record it again with an override reason"), "\(refused.error)")
            let overridden = try Self.muster(test + ["--override", "Re-scored by the academy (memo 26-3)"], env)
            #expect(overridden.status == 0, "\(overridden.error)")
            #expect(overridden.output.contains("record.plausibility-overridden.v1"), "\(overridden.output)")
        }
    }

    @Test("bad input of every kind is one line naming the file, line and field, and nothing is written")
    func badInput() async throws {
        let hiresHeader = "trainee,name,badge,hire_date,signed_by,document"
        let cases: [(String, URL)] = [
            (
                "hires.csv line 3, field hire_date: 2031-02-30 is not a date (YYYY-MM-DD); fix the row and run the import again",
                try Self.exampleCopy(Self.replacing("2023-10-02", with: "2031-02-30", in: "hires.csv"))
            ),
            (
                "hires.csv line 1, field badge: the column is missing",
                try Self.exampleCopy { $0["hires.csv"] = "trainee,name,hire_date,signed_by,document\nr-01,Dana Whitfield,2024-02-05,sgt.okafor,P\n" }
            ),
            (
                "hires.csv line 1, field colour: is not a column of hires.csv",
                try Self.exampleCopy(Self.replacing(hiresHeader, with: hiresHeader + ",colour", in: "hires.csv"))
            ),
            (
                "dor.csv: is not a backfill file; the files are users.csv, fto.csv",
                try Self.exampleCopy { $0["dor.csv"] = "trainee\n" }
            ),
            (
                "academy_tests.csv line 2, field result: \"passs\" is not one of pass, fail; fix the row and run the import again",
                try Self.exampleCopy(Self.replacing(",pass,", with: ",passs,", in: "academy_tests.csv"))
            ),
            (
                "academy_tests.csv line 2, field score: 8O is not a number; fix the row and run the import again",
                try Self.exampleCopy(Self.replacing("Dep. Vance,88,", with: "Dep. Vance,8O,", in: "academy_tests.csv"))
            ),
            (
                "hires.csv line 2: a quote opened here is never closed; fix the row and run the import again",
                try Self.exampleCopy(Self.replacing("Dana Whitfield", with: "\"Dana Whitfield", in: "hires.csv"))
            ),
            (
                "rebuttals.csv line 2, field entry: no row of this import has ref \"dor-r-04-nope\"",
                try Self.exampleCopy(Self.replacing("dor-r-04-2025-08-09", with: "dor-r-04-nope", in: "rebuttals.csv"))
            ),
            (
                "releases.csv line 2, field signed_by: fto.nobody is not a registered user; add them to users.csv; fix the row and run the import again",
                try Self.exampleCopy(Self.replacing("alone,fto.walker,", with: "alone,fto.nobody,", in: "releases.csv"))
            ),
            (
                "separations.csv line 2, field date: Jordan Hayes (R-2304): date 2031-09-05 is in the future",
                try Self.exampleCopy(Self.replacing("2025-09-05", with: "2031-09-05", in: "separations.csv"))
            ),
            (
                "probation.csv line 7: Dana Whitfield (R-2301): probation runs until 2026-02-03; it cannot complete before its end date; fix the row and run the import again",
                try Self.exampleCopy(Self.replacing("r-01,complete,2026-02-03", with: "r-01,complete,2026-02-02", in: "probation.csv"))
            ),
            (
                "corrections.csv line 2, field changes: scor is not a field of academy.test-recorded.v1",
                try Self.exampleCopy(Self.replacing("score=91", with: "scor=91", in: "corrections.csv"))
            ),
        ]
        for (message, folder) in cases {
            try await TestDatabase.with { database in
                let run = try Self.muster(["import", folder.path], database.environment)
                #expect(run.status == 1, "\(message): \(run.output)")
                let lines = run.error.split(separator: "\n").filter { !$0.hasPrefix("decided ") }
                #expect(lines.count == 1, "one line: \(run.error)")
                #expect(run.error.contains(message), "expected \(message)\ngot \(run.error)")
                #expect(try await Self.eventCount(database) == 0)
            }
        }
        try await TestDatabase.with { database in
            let missing = try Self.muster(["import", "/nonexistent/backfill"], database.environment)
            #expect(missing.status == 1)
            #expect(missing.error.contains("/nonexistent/backfill is not a folder; give the folder that holds the backfill's CSV files"))
            let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID())")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            let none = try Self.muster(["import", empty.path], database.environment)
            #expect(none.status == 1)
            #expect(none.error.contains("holds no backfill files; the files are users.csv"))
        }
    }
}
