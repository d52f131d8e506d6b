import EventLog
import Foundation
import Synchronization
import Testing
import TrainingDomain
import TrainingProjections
import TrainingRecords
import TrainingServices

/// A crafted history: a course recorded late, then corrected. Status by business time and by
/// recorded time must each tell its own story.
@Suite struct ReplayTests {
    final class Clock: Sendable {
        let value = Mutex(Date())
        func set(_ day: Day) { value.withLock { $0 = EntryMapping.date(day).addingTimeInterval(12 * 3600) } }
        func now() -> Date { value.withLock { $0 } }
    }

    @Test("as-of follows business time; known-at shows what the log held then, late entries and corrections included")
    func asOfAndKnownAt() async throws {
        let clock = Clock()
        let store = InMemoryEventStore(now: { clock.now() })
        let service = TrainingService(store: store, agency: AgencyID("pasadena"), clock: WallClock { clock.now() })
        let replay = Replay(store: store)
        let sergeant = Actor(id: OfficerID("sgt.okafor"), role: .trainingSergeant)
        let trainee = FileReference.trainee(TraineeID("t-9"))

        clock.set(Day("2026-01-05")!)
        try await service.record(
            .hireRecruit(trainee: TraineeID("t-9"), name: "Sam Ortiz", badge: "R-9", hireDate: Day("2026-01-05")!, agency: AgencyID("pasadena")),
            on: trainee, by: sergeant)
        // On March 10 the sergeant records a course taken on February 1 (a late entry), with the wrong hours.
        clock.set(Day("2026-03-10")!)
        let late = try await service.record(
            .recordCourse(
                courseType: "use_of_force", title: "UoF", hours: 5, provider: "PPD", instructor: nil, completedOn: Day("2026-02-01")!,
                certificateReference: "C-1"),
            on: trainee, by: sergeant)
        // On March 20 it is corrected to 4 hours.
        clock.set(Day("2026-03-20")!)
        let fixed = CourseCompleted(
            courseType: "use_of_force", title: "UoF", hours: 4, provider: "PPD", instructor: nil, completedOn: Day("2026-02-01")!,
            certificateReference: "C-1")
        try await service.record(
            .correctEntry(
                entry: EntryID(late[0].id.uuidString.lowercased()), reason: "Certificate says 4 hours", replacement: .courseCompleted(fixed),
                on: Day("2026-03-20")!),
            on: trainee, by: sergeant)

        func hours(_ file: PersonnelFile) -> Double? { file.coursework["use_of_force"]?.first?.hours }
        // Business time: on Feb 15 the course had happened, with the hours we now know.
        #expect(hours(try await replay.status(trainee, asOf: Day("2026-02-15")!)) == 4)
        #expect(hours(try await replay.status(trainee, asOf: Day("2026-01-31")!)) == nil)
        #expect(hours(try await replay.status(trainee)) == 4)
        // Recorded time: on Feb 15 the log did not know of the course; on Mar 15 it knew 5 hours; now 4.
        #expect(hours(try await replay.status(trainee, knownAt: EntryMapping.date(Day("2026-02-15")!))) == nil)
        #expect(hours(try await replay.status(trainee, knownAt: EntryMapping.date(Day("2026-03-15")!))) == 5)
        #expect(hours(try await replay.status(trainee, knownAt: EntryMapping.date(Day("2026-03-25")!))) == 4)

        let history = try await replay.history(trainee)
        #expect(history.count == 3)
        #expect(history[1].lateByDays == 37)
        #expect(history[1].amendedBy?.hasPrefix("corrected by") == true)
        #expect(history[2].amends?.contains("Certificate says 4 hours") == true)
    }

    @Test("users: the first registers themself as chief; others need a manager; roles resolve")
    func users() async throws {
        let store = InMemoryEventStore()
        let users = TrainingService(store: store, agency: AgencyID("pasadena"), clock: .fixed(Day("2026-01-01")!))
        await #expect(throws: DomainError.self) { try await users.register(OfficerID("fto.x"), name: "X", role: .fto, by: nil) }
        try await users.register(OfficerID("chief.perez"), name: "Chief Perez", role: .chief, by: nil)
        let chief = try await users.resolve(OfficerID("chief.perez"))
        #expect(chief.role == .chief)
        try await users.register(OfficerID("fto.ramos"), name: "Ofc. Ramos", role: .fto, by: chief)
        let fto = try await users.resolve(OfficerID("fto.ramos"))
        let error = await #expect(throws: DomainError.self) {
            try await users.register(OfficerID("fto.y"), name: "Y", role: .fto, by: fto)
        }
        #expect(error?.rule == .notAuthorized)
        let again = await #expect(throws: DomainError.self) { try await users.register(OfficerID("fto.ramos"), name: "Again", role: .fto, by: chief) }
        #expect(again?.rule == .alreadyRegistered)
        await #expect(throws: DomainError.self) { try await users.resolve(OfficerID("nobody")) }
        // The roster is a stream like any other: one registration per event, by whom it says.
        let roster = try await users.roster()
        #expect(roster.sorted.map(\.id.rawValue) == ["chief.perez", "fto.ramos"])
    }
}
