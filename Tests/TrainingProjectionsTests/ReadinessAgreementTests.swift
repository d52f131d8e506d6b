import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Postgres
import Testing
import TrainingDomain
import TrainingProjections
import TrainingRecords
import TrainingServices

/// One readiness, computed once: the board, a trainee's row (`trainee show`), the replayed
/// status and the solo-release refusal must say the same thing for every trainee.
@Suite struct ReadinessAgreementTests {
    @Test("board, trainee row, status and the solo refusal agree on blockers and the expected date for every trainee of a department")
    func agree() async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            let client = try await database.client()
            // The database's day is the board's day; judge the status on the same day.
            let today = try await client.rows("SELECT current_date") { try $0.decode(Day.self, row: $1, column: 0) }[0]
            let service = TrainingService(store: store, agency: AgencyID("pasadena"), clock: .fixed(today))
            _ = try await DemoSeeder(service: service).seed()
            let runner = ProjectionRunner(client: client, clock: .fixed(today))
            try await ProjectionRunnerTests.caughtUp(runner, store)
            let queries = ReadModelQueries(client: try await database.client())
            let board = Dictionary(uniqueKeysWithValues: try await queries.readiness(withinDays: DayWindowForTests.all).map { ($0.trainee, $0) })
            let policy = try await service.policies().policy(on: today)
            let trainees = try await client.rows(
                "SELECT trainee_id, stage, phase_minimum_end_on < current_date FROM muster.trainee_status ORDER BY trainee_id"
            ) {
                (
                    try $0.decode(String.self, row: $1, column: 0), try $0.decode(String.self, row: $1, column: 1),
                    try $0.decode(Bool?.self, row: $1, column: 2)
                )
            }
            #expect(trainees.count == 30)
            // The department has a trainee whose phase ran past its minimum: the case a stale date got wrong.
            #expect(trainees.contains { $0.1 == "field_training" && $0.2 == true })
            var compared = 0
            for (id, stage, _) in trainees {
                let file = try await service.load(.trainee(TraineeID(id))).file
                let readiness = Readiness.evaluate(file, policy: policy, on: today)
                let failing = readiness.failingSoloGates.map(\.summary)
                let expected = readiness.milestones.last { $0.name == "solo patrol" }?.expected.description
                let row = try #require(try await queries.trainee(id))
                if stage == "field_training" {
                    #expect(row.blockers == failing, "\(id): trainee row \(row.blockers) vs status \(failing)")
                    #expect(row.expectedSolo == expected, "\(id): trainee row \(row.expectedSolo ?? "-") vs status \(expected ?? "-")")
                    let onBoard = try #require(board[id], "\(id) is in field training but not on the board")
                    #expect(onBoard.blockers == failing, "\(id): board \(onBoard.blockers) vs status \(failing)")
                    #expect(onBoard.expectedSolo == expected, "\(id): board \(onBoard.expectedSolo) vs status \(expected ?? "-")")
                    let refusal = Result { () throws(DomainError) -> [Entry] in
                        try TrainingDecider.decide(
                            .requestSoloRelease(on: today, releaseStatement: "Released."),
                            file,
                            CommandContext(
                                actor: Actor(id: OfficerID("sgt.okafor"), role: .trainingSergeant), today: today, newEntryIDs: [EntryID("x")]))
                    }
                    switch refusal {
                    case .success: #expect(failing.isEmpty, "\(id): cleared although the status names blockers")
                    case .failure(let error):
                        #expect(error.rule == .soloGatesFailing)
                        #expect(
                            error.message.hasSuffix("cannot be cleared for solo patrol: " + failing.joined(separator: "; ")),
                            "\(id): \(error.message)")
                    }
                    compared += 1
                } else {
                    #expect(board[id] == nil, "\(id) (\(stage)) is on the readiness board")
                }
            }
            #expect(compared == 9)
            await store.close()
            await client.close()
        }
    }
}

enum DayWindowForTests {
    /// Far enough ahead that every trainee in field training is on the board.
    static let all = 36_500
}
