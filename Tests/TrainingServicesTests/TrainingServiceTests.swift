import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Testing
import TrainingDomain
import TrainingProjections
import TrainingRecords
import TrainingServices

@Suite struct TrainingServiceTests {
    static let sergeant = Actor(id: OfficerID("sgt.okafor"), role: .trainingSergeant)
    static let fto = Actor(id: OfficerID("fto.ramos"), role: .fto)
    static let trainee = TraineeID("7f1c2a9e-0000-4000-8000-000000000001")
    static let today = Day("2026-06-01")!

    static func service(_ store: any EventStore) -> TrainingService {
        TrainingService(store: store, agency: AgencyID("pasadena"), clock: WallClock { EntryMapping.date(today).addingTimeInterval(3600) })
    }

    static let hire = TrainingCommand.hireRecruit(
        trainee: trainee, name: "Dana Whitfield", badge: "R-2291", hireDate: Day("2026-01-05")!, agency: AgencyID("pasadena"))

    @Test("a command becomes stored events carrying the actor and role; the record folds back")
    func recordsWithMetadata() async throws {
        let store = InMemoryEventStore()
        let service = Self.service(store)
        let events = try await service.record(Self.hire, on: .trainee(Self.trainee), by: Self.sergeant)
        #expect(events.count == 1)
        #expect(events[0].type == RecruitHired.type)
        #expect(events[0].metadata.actorID == "sgt.okafor")
        #expect(events[0].metadata.actorRole == "training_sergeant")
        #expect(events[0].stream.rawValue == "trainee-\(Self.trainee)")
        #expect(EntryMapping.day(events[0].occurredAt) == Day("2026-01-05"))
        let (file, version) = try await service.load(.trainee(Self.trainee))
        #expect(version == 1)
        #expect(file.profile?.name == "Dana Whitfield")
    }

    @Test("a rule violation writes nothing")
    func refusalWritesNothing() async throws {
        let store = InMemoryEventStore()
        let service = Self.service(store)
        try await service.record(Self.hire, on: .trainee(Self.trainee), by: Self.sergeant)
        let error = await #expect(throws: DomainError.self) {
            try await service.record(.startFieldTraining(on: Self.today), on: .trainee(Self.trainee), by: Self.sergeant)
        }
        #expect(error?.rule == .notGraduated)
        #expect(await store.readAll(after: .start, limit: 10).count == 1)
    }

    @Test("the FTO's qualification is read from the officer's own record")
    func ftoQualificationFromOfficerRecord() async throws {
        let store = InMemoryEventStore()
        let service = Self.service(store)
        try await service.record(Self.hire, on: .trainee(Self.trainee), by: Self.sergeant)
        try await service.record(
            .enrollInAcademy(classNumber: "OC-1", academy: "OC", start: Day("2026-01-12")!, source: nil), on: .trainee(Self.trainee),
            by: Self.sergeant)
        let instructor = Actor(id: OfficerID("inst.vance"), role: .academyInstructor)
        for test in TrainingPolicy.pasadenaDefault.academy.requiredTests {
            try await service.record(
                .recordAcademyTest(test: test, passed: true, score: 90, instructor: "Vance", on: Day("2026-03-01")!, source: nil),
                on: .trainee(Self.trainee), by: instructor)
        }
        try await service.record(.graduateAcademy(on: Day("2026-05-01")!), on: .trainee(Self.trainee), by: Self.sergeant)
        try await service.record(.startFieldTraining(on: Day("2026-05-04")!), on: .trainee(Self.trainee), by: Self.sergeant)
        let assign = TrainingCommand.assignFTO(fto: Self.fto.id, phase: 1, on: Day("2026-05-04")!)
        let unqualified = await #expect(throws: DomainError.self) {
            try await service.record(assign, on: .trainee(Self.trainee), by: Self.sergeant)
        }
        #expect(unqualified?.rule == .ftoNotQualified)
        try await service.record(.qualifyFTO(courseDate: Day("2025-02-01")!), on: .officer(Self.fto.id), by: Self.sergeant)
        let uncertified = await #expect(throws: DomainError.self) {
            try await service.record(assign, on: .trainee(Self.trainee), by: Self.sergeant)
        }
        #expect(uncertified?.message.contains("POST Basic Certificate") == true)
        try await service.record(
            .awardBasicCertificate(certificate: "BC-1", on: Day("2020-06-01")!), on: .officer(Self.fto.id), by: Self.sergeant)
        try await service.record(.startPatrolAssignment(on: Day("2020-07-01")!), on: .officer(Self.fto.id), by: Self.sergeant)
        try await service.record(assign, on: .trainee(Self.trainee), by: Self.sergeant)
        #expect(try await service.load(.trainee(Self.trainee)).file.fieldTraining?.phase(1)?.ftos == [Self.fto.id])
    }

    @Test("concurrent writers on one record both succeed by deciding again on fresh state")
    func retriesOnConflict() async throws {
        let store = InMemoryEventStore()
        let service = Self.service(store)
        try await service.record(Self.hire, on: .trainee(Self.trainee), by: Self.sergeant)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask {
                    try await service.record(
                        .recordCourse(
                            courseType: "use_of_force", title: "UoF \(index)", hours: 4, provider: "PPD", instructor: nil,
                            completedOn: Day("2026-02-01")!.adding(days: index), certificateReference: nil),
                        on: .trainee(Self.trainee), by: Self.sergeant)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await service.load(.trainee(Self.trainee)).file.coursework["use_of_force"]?.count == 6)
    }

    @Test("policy adopted on the agency's stream is the policy decisions use")
    func adoptedPolicyIsUsed() async throws {
        let store = InMemoryEventStore()
        let service = Self.service(store)
        var strict = TrainingPolicy.pasadenaDefault
        strict.courses[0].minimumHours = 8
        try await service.adopt(strict, effective: Day("2026-01-01")!, by: Actor(id: OfficerID("chief.perez"), role: .chief))
        try await service.record(Self.hire, on: .trainee(Self.trainee), by: Self.sergeant)
        let error = await #expect(throws: DomainError.self) {
            try await service.record(
                .recordCourse(
                    courseType: "use_of_force", title: "UoF", hours: 4, provider: "PPD", instructor: nil, completedOn: Day("2026-02-01")!,
                    certificateReference: nil),
                on: .trainee(Self.trainee), by: Self.sergeant)
        }
        #expect(error?.message.contains("at least 8.0 hours") == true)
    }

    @Test("a command retried with its id (the reply was lost) records nothing new and returns what it recorded")
    func exactlyOnce() async throws {
        let store = InMemoryEventStore()
        let service = Self.service(store)
        let provenance = Provenance(source: "test")
        let first = try await service.record(Self.hire, on: .trainee(Self.trainee), by: Self.sergeant, provenance: provenance)
        // Deciding again would refuse ("already on file"); the command id answers first.
        let again = try await service.record(Self.hire, on: .trainee(Self.trainee), by: Self.sergeant, provenance: provenance)
        #expect(again == first)
        #expect(await store.readAll(after: .start, limit: 10).count == 1)
        #expect(first[0].metadata.commandID == provenance.commandID)
        #expect(first[0].id.uuidString.lowercased() == provenance.entryID(0).rawValue)
        // A course (which may be recorded many times) retried with the same id is still one course.
        let course = TrainingCommand.recordCourse(
            courseType: "use_of_force", title: "UoF", hours: 4, provider: "PPD", instructor: nil, completedOn: Day("2026-02-01")!,
            certificateReference: nil)
        let once = Provenance(source: "test")
        try await service.record(course, on: .trainee(Self.trainee), by: Self.sergeant, provenance: once)
        try await service.record(course, on: .trainee(Self.trainee), by: Self.sergeant, provenance: once)
        try await service.record(course, on: .trainee(Self.trainee), by: Self.sergeant, provenance: Provenance(source: "test"))
        #expect(try await service.load(.trainee(Self.trainee)).file.coursework["use_of_force"]?.count == 2)
    }

    @Test("the same works against PostgreSQL")
    func onPostgres() async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            let service = Self.service(store)
            try await service.record(Self.hire, on: .trainee(Self.trainee), by: Self.sergeant)
            try await service.record(.qualifyFTO(courseDate: Day("2025-02-01")!), on: .officer(Self.fto.id), by: Self.sergeant)
            let (file, version) = try await service.load(.trainee(Self.trainee))
            #expect(version == 1)
            #expect(file.profile?.badge == "R-2291")
            #expect(try await service.load(.officer(Self.fto.id)).file.ftoQualification.qualifiedOn == Day("2025-02-01"))
            await store.close()
        }
    }

    @Test("a stream longer than a page loads, page by page, to the state of folding it whole")
    func longStreamLoadsInPages() async throws {
        try await TestDatabase.with { database in
            let store = try await database.store()
            let stream = try Streams.trainee(Self.trainee)
            let hire = Entry(
                id: EntryID(UUID().uuidString.lowercased()), occurredOn: Day("2026-01-05")!, actor: Self.sergeant,
                event: .recruitHired(
                    RecruitHired(
                        trainee: Self.trainee, name: "Dana Whitfield", badge: "R-2291", hireDate: Day("2026-01-05")!,
                        agency: AgencyID("pasadena"))))
            // 2,501 entries: two full pages and part of a third; the last has an odd length.
            let courses = (0..<2500).map { n in
                Entry(
                    id: EntryID(UUID().uuidString.lowercased()), occurredOn: Day("2026-01-05")!.adding(days: n % 300), actor: Self.sergeant,
                    event: .courseCompleted(
                        CourseCompleted(
                            courseType: n.isMultiple(of: 2) ? "use_of_force" : "implicit_bias", title: "Course \(n)", hours: 2, provider: "POST",
                            instructor: nil, completedOn: Day("2026-01-05")!.adding(days: n % 300), certificateReference: nil)))
            }
            let all = [hire] + courses
            for start in stride(from: 0, to: all.count, by: 500) {
                let chunk = try all[start..<min(start + 500, all.count)].map { try EntryMapping.eventData($0) }
                _ = try await store.append(chunk, to: stream, expectedVersion: .any)
            }
            let (file, version) = try await Self.service(store).load(.trainee(Self.trainee))
            #expect(version == 2501)
            #expect(file == TrainingDecider.fold(EntryMapping.entries(try await store.readStream(stream))))
            #expect(file.coursework["use_of_force"]?.count == 1250)
            #expect(file.effective.count == 2501)
            // 3,000 entries: the last page is full, and the read after it finds nothing.
            let more = try courses.prefix(499).map { course in
                var course = course
                course.id = EntryID(UUID().uuidString.lowercased())
                return try EntryMapping.eventData(course)
            }
            _ = try await store.append(more, to: stream, expectedVersion: .exact(2501))
            let (whole, last) = try await Self.service(store).load(.trainee(Self.trainee))
            #expect(last == 3000)
            #expect(whole == TrainingDecider.fold(EntryMapping.entries(try await store.readStream(stream))))
            #expect(whole.effective.count == 3000)
            await store.close()
        }
    }
}
