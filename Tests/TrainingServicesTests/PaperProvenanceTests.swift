import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Testing
import TrainingDomain
import TrainingRecords
import TrainingServices

/// Entries transcribed from paper: the document travels with them, the history does not call
/// them late, and a probation extension signed on paper before the deadline counts.
@Suite struct PaperProvenanceTests {
    /// An imported department whose trainee r-05 is on probation past its end date.
    static func withImportedDepartment(_ body: (PostgresEventStore) async throws -> Void) async throws {
        try await BackfillTests.withStore { _, store in
            let department = GeneratedDepartment(seed: 11)
            _ = try await BackfillTests.importer(store).run(try BackfillTests.plan(department.csvFiles()), dryRun: false)
            try await body(store)
        }
    }

    @Test("a probation extension signed on paper before the deadline is accepted after it; without the paper, or signed after, it is refused")
    func paperExtension() async throws {
        try await Self.withImportedDepartment { store in
            let service = TrainingService(store: store, agency: BackfillTests.agency, clock: BackfillTests.clock)
            let trainee = FileReference.trainee(TraineeID("r-05"))
            let sergeant = try await service.resolve(OfficerID("sgt.okafor"))
            let end = try #require(try await service.load(trainee).file.probation?.end)
            #expect(end < GeneratedDepartment.today)
            let signed = end.adding(days: -5)
            let extend = TrainingCommand.extendProbation(newEnd: end.adding(months: 6), reason: "Report writing", on: signed)

            let unsigned = await #expect(throws: DomainError.self) { try await service.record(extend, on: trainee, by: sergeant) }
            #expect(unsigned?.rule == .extensionTooLate)
            #expect(unsigned?.message.contains("one signed on paper before then is recorded from that document") == true)

            let late = PaperDocument(reference: "Probation memo 26-9", signedOn: end.adding(days: 1))
            let afterEnd = await #expect(throws: DomainError.self) {
                try await service.record(
                    .extendProbation(newEnd: end.adding(months: 6), reason: "Report writing", on: late.signedOn), on: trainee, by: sergeant,
                    provenance: Provenance(document: late))
            }
            #expect(afterEnd?.rule == .extensionTooLate)

            let paper = PaperDocument(reference: "Probation memo 26-8", signedOn: signed)
            let events = try await service.record(extend, on: trainee, by: sergeant, provenance: Provenance(document: paper))
            #expect(events.map(\.metadata.document) == ["Probation memo 26-8"])
            #expect(events.map(\.metadata.documentSignedOn) == [signed.description])
            #expect(try await service.load(trainee).file.probation?.end == end.adding(months: 6))
        }
    }

    @Test("the history shows where each entry came from: paper entries carry their document and are not late; a late typed entry is")
    func historyOfPaperEntries() async throws {
        try await Self.withImportedDepartment { store in
            let replay = Replay(store: store)
            let history = try await replay.history(.trainee(TraineeID("r-01")))
            #expect(history.count > 70)
            #expect(history.allSatisfy { $0.document != nil && $0.documentSignedOn != nil && $0.lateByDays == 0 && $0.source == "import:paper" })
            #expect(history.first?.document == "Personnel order R-2301")
            #expect(history.first?.documentSignedOn == "2024-02-05")

            // The same kind of entry typed in today, months after it happened, is late.
            let service = TrainingService(store: store, agency: BackfillTests.agency, clock: BackfillTests.clock)
            let trainee = FileReference.trainee(TraineeID("r-05"))
            let start = try #require(try await service.load(trainee).file.probation?.start)
            try await service.record(
                .reviewProbation(interval: 9, outcome: .satisfactory, notes: "Typed in from memory", on: start.adding(months: 9)), on: trainee,
                by: try await service.resolve(OfficerID("sgt.okafor")))
            let typed = try #require(try await replay.history(trainee).last)
            #expect(typed.document == nil)
            #expect(typed.lateByDays > 30)
        }
    }
}
