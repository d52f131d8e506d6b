import Foundation
import TrainingDomain

/// Builds one realistic trainee history of `length` entries: hire, academy, then field
/// training dominated by daily observation reports and their acknowledgements.
func syntheticHistory(length: Int, seed: Int) -> [Entry] {
    let sergeant = Actor(id: OfficerID("sgt.okafor"), role: .trainingSergeant)
    let fto = Actor(id: OfficerID("fto.ramos"), role: .fto)
    let trainee = Actor(id: OfficerID("t-\(seed)"), role: .trainee)
    let start = Day("2020-01-06")!
    var entries: [Entry] = []
    var next = 0
    func add(_ event: TrainingEvent, _ day: Day, _ actor: Actor = sergeant) {
        next += 1
        entries.append(Entry(id: EntryID("\(seed)-\(next)"), occurredOn: day, actor: actor, event: event))
    }
    add(
        .recruitHired(
            RecruitHired(trainee: TraineeID("t-\(seed)"), name: "Recruit \(seed)", badge: "R-\(seed)", hireDate: start, agency: AgencyID("pasadena"))),
        start)
    add(.academyEnrolled(AcademyEnrolled(classNumber: "OC-1", academy: "OC", start: start)), start)
    for test in TrainingPolicy.pasadenaDefault.academy.requiredTests {
        add(.academyTestRecorded(AcademyTestRecorded(test: test, attempt: 1, passed: true, score: 90, instructor: "Vance")), start.adding(days: 90))
    }
    add(.academyGraduated(AcademyGraduated(date: start.adding(days: 182))), start.adding(days: 182))
    add(.fieldTrainingStarted(FieldTrainingStarted(date: start.adding(days: 190))), start.adding(days: 190))
    add(.ftoAssigned(FTOAssigned(fto: fto.id, phase: 1)), start.adding(days: 190))
    let categories = TrainingPolicy.pasadenaDefault.fieldTraining.categories
    var day = start.adding(days: 191)
    while entries.count < length {
        let ratings = Dictionary(uniqueKeysWithValues: categories.prefix(6).map { ($0, Rating.score(4 + (day.daysSince1970 % 2))) })
        add(
            .dailyObservationReported(DailyObservationReported(fto: fto.id, shiftDate: day, phase: 1, ratings: ratings, narrative: "Shift notes.")),
            day, fto)
        add(.dailyObservationAcknowledged(DailyObservationAcknowledged(report: entries.last!.id, signed: true)), day, trainee)
        if day.daysSince1970 % 17 == 0 {
            add(.remedialTrainingAssigned(RemedialTrainingAssigned(category: "report_writing", due: day.adding(days: 7), plan: "Practice")), day)
            add(.remedialTrainingCompleted(RemedialTrainingCompleted(remedial: entries.last!.id, notes: "Done")), day.adding(days: 3))
        }
        day = day.adding(days: 1)
    }
    return Array(entries.prefix(length))
}

/// Events per second folding histories in memory, on this one thread.
func foldEventsPerSecond(histories: Int, length: Int) -> Double {
    let built = (0..<histories).map { syntheticHistory(length: length, seed: $0) }
    var checksum = 0
    let start = ContinuousClock.now
    for history in built {
        let file = TrainingDecider.fold(history)
        checksum &+= file.fieldTraining?.dors.count ?? 0
    }
    let elapsed = ContinuousClock.now - start
    precondition(checksum > 0)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Double(histories * length) / seconds
}

/// Folding events in memory (pure domain, one core); the goal is absolute: a million a second.
func foldCase(_ bench: Bench) throws -> BenchResult {
    let histories = bench.quick ? 40 : 200
    log(
        "fold \(histories) trainee histories of 5,000 events in memory (an entry is \(MemoryLayout<Entry>.stride) bytes, "
            + "a DOR record \(MemoryLayout<DORRecord>.stride))")
    let fold = median((0..<bench.rounds).map { _ in foldEventsPerSecond(histories: histories, length: 5000) })
    log(String(format: "  fold_events_in_memory: %.0f events/s (goal 1,000,000)", fold))
    return BenchResult(name: "fold_events_in_memory", value: fold, unit: "events/s", baseline: 1_000_000, ratio: fold / 1_000_000, goal: 1.0)
}
