import EventLogTesting
import Foundation
import Postgres
import Testing

/// The boards through the real binary: the forecast's text and JSON, the tracking sheet, and
/// every bad input as one line naming the option, the rule and the fix.
@Suite struct BoardsCLITests {
    @Test("bad input to forecast, the tracking sheet and the board windows: one line naming the option, the rule and the fix")
    func badInput() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            let cases: [([String], String)] = [
                (["forecast", "--openings", "0"], "--openings must be 1 to 100000 (got 0): give how many positions to fill, e.g. --openings 30"),
                (["forecast", "--openings", "-4"], "--openings must be 1 to 100000 (got -4)"),
                (
                    ["forecast", "--openings", "many"],
                    "--openings must be a whole number of positions to fill, not \"many\": give e.g. --openings 30"
                ),
                (["forecast", "--by", "2000-01-01"], "--by 2000-01-01 is in the past (today is "),
                (["forecast", "--by", "next year"], "--by must be a date written YYYY-MM-DD, not \"next year\": give e.g. --by "),
                (["ft", "tracking-sheet", "t-1", "--phase", "0"], "--phase must be a phase number 1 to 52, not \"0\": give e.g. --phase 1"),
                (["ft", "tracking-sheet", "t-nobody"], "trainee t-nobody is not in the read models: check the id"),
                (["expiring", "--within", "soon"], "--within must be a number of days, e.g. 90d"),
                (["queue", "--within", "-3"], "--within must not be negative"),
            ]
            for (arguments, message) in cases {
                let run = try CLITests.muster(arguments, environment: env)
                #expect(run.status != 0, "\(arguments)")
                #expect(run.error.contains(message), "\(arguments): \(run.error)")
                #expect(run.error.split(separator: "\n").count == 1, "one line: \(run.error)")
                #expect(run.output.isEmpty, "\(arguments): \(run.output)")
            }
        }
    }

    @Test("forecast on an empty department: the policy's floor sizes the hiring, the chart and JSON show the chance by month")
    func forecastText() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            let text = try CLITests.muster(["forecast", "--openings", "30"], environment: env)
            #expect(text.status == 0, "\(text.error)")
            #expect(text.output.contains("0 recruits in the pipeline"))
            #expect(text.output.contains("history is thin, so the yield is taken as 50% (policy floor)"))
            #expect(text.output.contains("hire about 60 more (30 short ÷ 1/2 yield, rounded up)"))
            #expect(text.output.contains("1–30      not by the pipeline: hires needed"))
            #expect(text.output.contains("chance all 30 filled, by the end of each month:"))
            #expect(text.output.contains("·····   0%"))
            let json = try CLITests.muster(["forecast", "--openings", "30", "--by", "2099-12-31", "--json"], environment: env)
            let forecast = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            #expect(forecast["hires"] as? Int == 60)
            #expect(forecast["short"] as? Int == 30)
            #expect((forecast["chance"] as? [String: Any])?["by"] as? String == "2099-12-31")
            #expect(((forecast["curve"] as? [[String: Any]])?.count ?? 0) >= 12)
            #expect(try CLITests.muster(["forecast", "--openings", "30"], environment: env).output == text.output)
        }
    }

    @Test("the tracking sheet of a trainee with no DORs says so; JSON for the web app")
    func trackingSheetEmpty() async throws {
        try await TestDatabase.with { database in
            var env = database.environment
            #expect(try CLITests.muster(["user", "add", "chief.perez", "--name", "Chief Perez", "--role", "chief"], environment: env).status == 0)
            env["MUSTER_USER"] = "chief.perez"
            let hire = try CLITests.muster(
                ["trainee", "hire", "--name", "Dana Whitfield", "--badge", "R-2291", "--hire-date", "2026-01-05", "--id", "t-1"], environment: env)
            #expect(hire.status == 0, "\(hire.error)")
            try await CLITests.projectionsCaughtUp(env)
            let sheet = try CLITests.muster(["ft", "tracking-sheet", "t-1"], environment: env)
            #expect(sheet.status == 0, "\(sheet.error)")
            #expect(sheet.output == "Dana Whitfield (R-2291): DOR tracking sheet\nno DORs on file\n")
            let json = try CLITests.muster(["ft", "tracking-sheet", "t-1", "--phase", "2", "--json"], environment: env)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            #expect(object["trainee"] as? String == "t-1")
            #expect((object["phases"] as? [Any])?.isEmpty == true)
        }
    }
}
