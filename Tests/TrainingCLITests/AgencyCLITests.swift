import EventLogTesting
import Foundation
import Testing
import TrainingServices

/// Two agencies through the real binary: each `--agency` sees only its own people and boards,
/// and the statewide view (the statewide role) sees both, as a table, JSON and CSV.
@Suite struct AgencyCLITests {
    @Test("two agencies at the console: each sees only its own trainees and boards; statewide sees both, and exports CSV")
    func twoAgencies() async throws {
        try await TestDatabase.with { database in
            let env = database.environment
            func muster(_ arguments: [String]) throws -> CLITests.Run { try CLITests.muster(arguments, environment: env) }
            func json(_ arguments: [String]) throws -> Any? {
                let run = try muster(arguments + ["--json"])
                #expect(run.status == 0, "\(arguments): \(run.error)")
                return try JSONSerialization.jsonObject(with: Data(run.output.utf8))
            }
            #expect(try muster(["seed", "demo"]).status == 0)
            let altadena = ["--agency", "altadena"]
            #expect(try muster(["user", "add", "chief.a", "--name", "Chief A", "--role", "chief"] + altadena).status == 0)
            let sergeant = ["user", "add", "sgt.a", "--name", "Sgt A", "--role", "training_sergeant", "--as", "chief.a"] + altadena
            #expect(try muster(sergeant).status == 0)
            let hire = try muster(
                ["trainee", "hire", "--id", "alt-1", "--name", "Alex Alt", "--badge", "A-1", "--hire-date", "2026-01-05", "--as", "sgt.a"] + altadena)
            #expect(hire.status == 0, "\(hire.error)")
            // Altadena's chief is not Pasadena's: acting as them in Pasadena is refused.
            let stranger = try muster([
                "trainee", "hire", "--id", "alt-2", "--name", "X", "--badge", "A-2", "--hire-date", "2026-01-05", "--as", "sgt.a",
            ])
            #expect(stranger.status != 0 && stranger.error.contains("sgt.a"), "\(stranger.error)")
            // A trainee id another agency holds: refused, naming the rule.
            let taken = try muster(
                ["trainee", "hire", "--id", "r-01", "--name", "Y", "--badge", "A-3", "--hire-date", "2026-01-05", "--as", "sgt.a"] + altadena)
            #expect(taken.status != 0 && taken.error.contains("another agency"), "\(taken.error)")

            var behind = -1
            for _ in 0..<300 where behind != 0 {
                #expect(try muster(["projections", "run"]).status == 0)
                behind = (try json(["projections", "status"]) as? [String: Any])?["behind"] as? Int ?? -1
                if behind != 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            func pipeline(_ agency: [String]) throws -> [String: Int] {
                let rows = (try json(["pipeline"] + agency) as? [[String: Any]]) ?? []
                return Dictionary(uniqueKeysWithValues: rows.map { ($0["stage"] as? String ?? "", $0["count"] as? Int ?? 0) })
            }
            #expect(try pipeline([]) == ["academy": 10, "field_training": 9, "probation": 10, "separated": 1])
            #expect(try pipeline(altadena) == ["hired": 1])
            // One agency's trainee is not found from the other.
            let shown = try muster(["status", "r-01"] + altadena)
            #expect(shown.status != 0 && !shown.output.contains("r-01"), "\(shown.output) \(shown.error)")
            #expect(try muster(["status", "alt-1"] + altadena).status == 0)
            #expect(try muster(["status", "alt-1"]).status != 0)

            // The statewide view: both agencies, one row each.
            let statewide = (try json(["statewide"]) as? [[String: Any]]) ?? []
            #expect(statewide.map { $0["agency"] as? String } == ["altadena", "pasadena"])
            let pasadena = statewide.last ?? [:]
            #expect((pasadena["stages"] as? [String: Int])?["field_training"] == 9)
            #expect(pasadena["qualifiedFTOs"] as? Int ?? 0 > 0)
            #expect((pasadena["complianceRate"] as? Double).map { $0 > 0 && $0 < 1 } == true, "\(pasadena)")
            #expect((statewide.first?["stages"] as? [String: Int]) == ["hired": 1])
            let table = try muster(["statewide"])
            #expect(table.output.contains("altadena") && table.output.contains("pasadena") && table.output.contains("█"))
            let csv = try muster(["statewide", "--csv", "-"])
            let rows = try CSVRows.parse(Data(csv.output.utf8))
            #expect(rows.count == 3)
            #expect(rows.first?.fields.starts(with: ["agency", "hired", "academy"]) == true)
            #expect(rows.dropFirst().map { $0.fields.first } == ["altadena", "pasadena"])

            // Bad input: an agency nobody is registered in, and an id that cannot be one.
            let unknown = try muster(
                [
                    "trainee", "hire", "--id", "n-1", "--name", "N", "--badge", "N-1", "--hire-date", "2026-01-05", "--as", "sgt.a", "--agency",
                    "nowhere",
                ])
            #expect(unknown.status != 0 && unknown.error.contains("unknown agency nowhere"), "\(unknown.error)")
            let bad = try muster(["pipeline", "--agency", "no such; agency"])
            #expect(bad.status != 0 && bad.error.contains("is not an agency id"), "\(bad.error)")
        }
    }
}
