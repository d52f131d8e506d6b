import EventLog
import Foundation
import TrainingDomain
import TrainingRecords

/// Loads a realistic, deterministic department through the normal service path (every rule
/// applies): three academy classes at staggered stages, daily observation reports by several
/// FTOs, remedial cases, a phase extension, coursework with some expiring and overdue, a
/// probation extension, a resignation, a late entry and a correction; the program's own records
/// (orientation, weekly reports, end-of-phase reports, phase evaluations, the checklist's two
/// signatures, the coordinator's appointment). Trainees are users, so each can sign in and
/// sign their reports. Dates are relative to `today`, so expiring and overdue stay meaningful
/// whenever it runs.
public struct DemoSeeder: Sendable {
    let service: TrainingService
    let today: Day

    public init(service: TrainingService) {
        self.service = service
        self.today = service.clock.today
    }

    static let chief = Actor(id: OfficerID("chief.perez"), role: .chief)
    static let sergeant = Actor(id: OfficerID("sgt.okafor"), role: .trainingSergeant)
    static let instructor = Actor(id: OfficerID("dep.vance"), role: .academyInstructor)
    static let ftos = ["fto.ramos", "fto.chen", "fto.walker", "fto.nguyen", "fto.brooks"].map { Actor(id: OfficerID($0), role: .fto) }
    static let names = [
        "Dana Whitfield", "Sam Ortiz", "Lee Park", "Jordan Hayes", "Avery Kim", "Riley Santos", "Morgan Lee", "Casey Brown",
        "Taylor Reed", "Jamie Cruz", "Alex Rivera", "Drew Patel", "Quinn Foster", "Rowan Diaz", "Skyler James", "Emerson Wu",
        "Parker Gray", "Reese Morales", "Hayden Cole", "Finley Ross", "Sage Bennett", "Kendall Ortiz", "Blake Turner",
        "Cameron Price", "Logan Ward", "Peyton Hughes", "Dakota Bell", "Harper Long", "Elliot Shaw", "Marley Young",
    ]

    public struct Summary: Sendable, Codable {
        public var recruits: Int
        public var entries: Int
    }

    func day(_ offset: Int) -> Day { today.adding(days: offset) }

    @discardableResult
    func record(_ command: TrainingCommand, _ reference: FileReference, _ actor: Actor, count: inout Int) async throws -> EntryID {
        let events = try await service.record(command, on: reference, by: actor, provenance: Provenance(source: "seed:demo"))
        count += events.count
        return EntryID(events[0].id.uuidString.lowercased())
    }

    /// - Parameter progress: called with a line per step, for people watching.
    public func seed(progress: (String) -> Void = { _ in }) async throws -> Summary {
        var count = 0
        progress("users and FTO qualifications")
        try await service.register(Self.chief.id, name: "Chief J. Perez", role: .chief, by: nil)
        try await service.register(
            Self.sergeant.id, name: "Sgt. A. Okafor", role: .trainingSergeant, by: Self.chief, provenance: Provenance(source: "seed:demo"))
        try await service.register(
            Self.instructor.id, name: "Dep. R. Vance (OCSD academy)", role: .academyInstructor, by: Self.sergeant,
            provenance: Provenance(source: "seed:demo"))
        try await service.register(
            OfficerID("lt.moss"), name: "Lt. K. Moss", role: .commandStaff, by: Self.chief, provenance: Provenance(source: "seed:demo"))
        try await service.register(
            OfficerID("audit.lane"), name: "P. Lane (compliance)", role: .complianceReviewer, by: Self.chief,
            provenance: Provenance(source: "seed:demo"))
        try await service.manage(
            .appointCoordinator(user: Self.sergeant.id, effective: day(-1000)), by: Self.chief, provenance: Provenance(source: "seed:demo"))
        for (index, fto) in Self.ftos.enumerated() {
            try await service.register(
                fto.id, name: "Ofc. \(fto.id.rawValue.dropFirst(4).capitalized)", role: .fto, by: Self.sergeant,
                provenance: Provenance(source: "seed:demo"))
            // Regulation 1004: a Basic Certificate and a year of uniformed patrol, then the 40-hour course.
            try await record(
                .awardBasicCertificate(certificate: "BC-\(41_200 + index)", on: day(-3000 + index * 90)), .officer(fto.id), Self.sergeant,
                count: &count)
            try await record(.startPatrolAssignment(on: day(-2950 + index * 90)), .officer(fto.id), Self.sergeant, count: &count)
            try await record(.qualifyFTO(courseDate: day(-900 + index * 40)), .officer(fto.id), Self.sergeant, count: &count)
            // FTO coursework: one overdue, one expiring within 90 days, the rest current.
            let uofDaysAgo = [380, 300, 120, 60, 200][index]
            try await record(
                .recordCourse(
                    courseType: "use_of_force", title: "Use of force and de-escalation", hours: 4, provider: "PPD Training", instructor: nil,
                    completedOn: day(-uofDaysAgo), certificateReference: "UOF-\(index)"),
                .officer(fto.id), Self.sergeant, count: &count)
            try await record(
                .recordCourse(
                    courseType: "implicit_bias", title: "RIPA / implicit bias refresher", hours: 2, provider: "POST", instructor: "Lt. Gray",
                    completedOn: day(-[200, 690, 100, 400, 30][index]), certificateReference: "RIPA-\(index)"),
                .officer(fto.id), Self.sergeant, count: &count)
        }
        // Three classes: released and on probation, in field training, in the academy.
        let classes: [(name: String, hireDaysAgo: Int)] = [("OC-A", 420), ("OC-B", 280), ("OC-C", 70)]
        var recruit = 0
        for (classIndex, academyClass) in classes.enumerated() {
            progress("class \(academyClass.name): 10 recruits")
            for seat in 0..<10 {
                let id = TraineeID(String(format: "r-%02d", recruit + 1))
                try await seedRecruit(
                    id, name: Self.names[recruit], badge: "R-\(2300 + recruit)", classIndex: classIndex, seat: seat, academyClass: academyClass,
                    count: &count)
                recruit += 1
            }
        }
        return Summary(recruits: recruit, entries: count)
    }

    func seedRecruit(
        _ id: TraineeID, name: String, badge: String, classIndex: Int, seat: Int, academyClass: (name: String, hireDaysAgo: Int), count: inout Int
    ) async throws {
        let me = FileReference.trainee(id)
        let sgt = Self.sergeant
        let trainee = Actor(id: OfficerID(id.rawValue), role: .trainee)
        let hire = -academyClass.hireDaysAgo
        try await record(.hireRecruit(trainee: id, name: name, badge: badge, hireDate: day(hire), agency: service.agency), me, sgt, count: &count)
        try await service.register(trainee.id, name: name, role: .trainee, by: sgt, provenance: Provenance(source: "seed:demo"))
        try await record(
            .enrollInAcademy(
                classNumber: academyClass.name, academy: "Orange County Sheriff's Regional Academy", start: day(hire + 10), source: "import:OCSD"),
            me, sgt, count: &count)
        let tests = TrainingPolicy.pasadenaDefault.academy.requiredTests
        if classIndex == 2 {
            // Academy class in progress: the first tests are in; one recruit failed and retook one.
            for (index, test) in tests.prefix(3).enumerated() {
                if seat == 4 && index == 1 {
                    try await record(
                        .recordAcademyTest(test: test, passed: false, score: 62, instructor: "Dep. Vance", on: day(hire + 40), source: "import:OCSD"),
                        me, Self.instructor, count: &count)
                }
                try await record(
                    .recordAcademyTest(
                        test: test, passed: true, score: Double(80 + (seat * 3 + index) % 15), instructor: "Dep. Vance", on: day(hire + 45 + index),
                        source: "import:OCSD"), me, Self.instructor, count: &count)
            }
            return
        }
        for (index, test) in tests.enumerated() {
            try await record(
                .recordAcademyTest(
                    test: test, passed: true, score: Double(78 + (seat * 7 + index) % 20), instructor: "Dep. Vance", on: day(hire + 60 + index * 15),
                    source: "import:OCSD"), me, Self.instructor, count: &count)
        }
        let graduation = hire + 10 + 26 * 7
        try await record(.graduateAcademy(on: day(graduation)), me, sgt, count: &count)
        // Coursework at graduation (class B's use-of-force runs out soon: it shows as expiring).
        try await record(
            .recordCourse(
                courseType: "use_of_force", title: "Use of force and de-escalation", hours: 4, provider: "PPD Training", instructor: nil,
                completedOn: day(graduation + 1), certificateReference: "UOF-\(badge)"), me, sgt, count: &count)
        try await record(
            .recordCourse(
                courseType: "implicit_bias", title: "RIPA / implicit bias refresher", hours: 2, provider: "POST", instructor: "Lt. Gray",
                completedOn: day(graduation + 1), certificateReference: "RIPA-\(badge)"), me, sgt, count: &count)
        let start = graduation + 4
        try await record(.startFieldTraining(on: day(start)), me, sgt, count: &count)
        try await record(
            .recordOrientation(
                from: day(start), to: day(start + 4), topics: ["general orders", "facilities and equipment", "records and dispatch"]),
            me, sgt, count: &count)
        if classIndex == 1 && seat == 9 {
            try await record(.separate(kind: .resigned, reason: "Accepted a position with another agency", on: day(-20)), me, sgt, count: &count)
            return
        }
        // Phases: each with its FTO, a DOR every third shift day, a weak spot now and then.
        let policy = TrainingPolicy.pasadenaDefault.fieldTraining
        var phaseStart = start
        var lastDOR: EntryID?
        for phase in policy.phases {
            let fto = Self.ftos[(seat + phase.number - 1 + (phase.number == 4 ? -3 : 0) + 5) % Self.ftos.count]
            try await record(.assignFTO(fto: fto.id, phase: phase.number, on: day(phaseStart)), me, sgt, count: &count)
            var weeks = phase.minimumWeeks
            // One class B recruit's phase 2 is extended for report writing.
            let extended = classIndex == 1 && seat == 3 && phase.number == 2
            if extended { weeks += 2 }
            let phaseEnd = phaseStart + weeks * 7
            var shift = phaseStart + 1
            while shift < min(phaseEnd, -1) {
                let weak = phase.number <= 2 && (shift + seat) % 23 == 0
                let rating = weak ? 3 : 4 + abs(shift + seat) % 2
                var ratings = Dictionary(uniqueKeysWithValues: policy.categories.map { ($0, Rating.score(4)) })
                ratings["report_writing"] = .score(rating)
                ratings["officer_safety"] = .score(4 + (shift % 3 == 0 ? 1 : 0))
                ratings["driving_stress"] = .notObserved
                ratings["radio_use"] = shift % 2 == 0 ? .notObserved : .score(4)
                let report = try await record(
                    .fileDailyObservation(
                        fto: fto.id, shiftDate: day(shift), ratings: ratings,
                        narrative: weak ? "Report incomplete; returned twice for corrections." : ""),
                    me, fto, count: &count)
                lastDOR = report
                // The trainee signs each report within a day or two; the last few await a signature.
                if shift < -6 {
                    try await record(
                        .acknowledgeDailyObservation(report: report, signed: true, note: nil, on: day(shift + 1 + seat % 2)), me, trainee,
                        count: &count)
                }
                if (shift - phaseStart) % 7 == 6, shift < -1 {
                    try await record(
                        .reportSupervisorWeekly(
                            weekEnding: day(shift),
                            report: WeeklyReportContent(
                                summary: weak ? "Report writing below standard this week." : "Steady progress toward the solo standard.",
                                strengths: ["officer_safety", "relationships_public"], needsImprovement: weak ? ["report_writing"] : [],
                                plan: weak ? "Two practice reports reviewed by the FTO." : "")),
                        me, sgt, count: &count)
                }
                if weak {
                    let remedial = try await record(
                        .assignRemedial(
                            category: "report_writing", due: day(shift + 10), plan: "Two practice reports reviewed by the FTO", on: day(shift)), me,
                        sgt, count: &count)
                    if shift + 7 < -1 {
                        try await record(
                            .completeRemedial(remedial: remedial, notes: "Both reports acceptable", on: day(shift + 7)), me, sgt, count: &count)
                    }
                }
                shift += 3
            }
            if extended {
                try await record(
                    .extendPhase(phase: 2, weeks: 2, reason: "Report writing below standard", on: day(phaseStart + 35)), me, sgt, count: &count)
            }
            guard phaseEnd < -1 else { break }
            // One class B recruit's phase ran past its minimum and still awaits its evaluation.
            if classIndex == 1 && seat == 5 && phase.number == 1 { break }
            let content = PhaseReportContent(
                ratings: Dictionary(uniqueKeysWithValues: policy.categories.map { ($0, Rating.score(4)) }), strengths: ["officer_safety"],
                needsImprovement: [], recommendation: .advance, narrative: "Meets the solo standard for this phase in every category.")
            try await record(.reportEndOfPhase(phase: phase.number, fto: fto.id, report: content, on: day(phaseEnd - 1)), me, fto, count: &count)
            // The evaluator is an FTO who did not train the recruit in this phase.
            let evaluator = Self.ftos[(Self.ftos.firstIndex(of: fto)! + 2) % Self.ftos.count]
            try await record(
                .evaluatePhase(phase: phase.number, evaluator: evaluator.id, report: content, on: day(phaseEnd)), me, evaluator, count: &count)
            try await record(.completePhase(phase: phase.number, on: day(phaseEnd), earlyCompletionReason: nil), me, sgt, count: &count)
            phaseStart = phaseEnd
        }
        // A correction: the FTO keyed a rating wrong on the last DOR of seat 2.
        if seat == 2, let lastDOR {
            let file = try await service.load(me).file
            if let report = file.fieldTraining?.dors[lastDOR] {
                var ratings = report.ratings
                ratings["officer_safety"] = .score(5)
                let fto = Actor(id: report.fto, role: .fto)
                try await record(
                    .correctEntry(
                        entry: lastDOR, reason: "Officer safety rating keyed as 4; it was 5",
                        replacement: .dailyObservationReported(
                            DailyObservationReported(
                                fto: report.fto, shiftDate: report.shiftDate, phase: report.phase, ratings: ratings, narrative: report.narrative)),
                        on: day(-1)),
                    me, fto, count: &count)
            }
        }
        guard classIndex == 0 else { return }
        // Class A: checklist, attestation, solo release, probation.
        let releaseDay = phaseStart
        let file = try await service.load(me).file
        for task in policy.requiredTasks {
            // The FTO who signs saw the task: one who trained this recruit.
            let signer = file.fieldTraining?.phases.first?.ftos.first.map { Actor(id: $0, role: .fto) } ?? Self.ftos[seat % 5]
            try await record(
                .signOffTask(task: task, fto: signer.id, callReference: "CAD-\(badge)-\(task.prefix(4))", on: day(releaseDay - 10)), me, signer,
                count: &count)
            try await record(.acknowledgeTask(task: task, on: day(releaseDay - 9)), me, trainee, count: &count)
        }
        let attester = Self.ftos[(seat + 5 - 3 + 3) % 5]
        let attesting = file.fieldTraining?.phases.last?.ftos.first.map { Actor(id: $0, role: .fto) } ?? attester
        try await record(
            .attestCompetency(fto: attesting.id, statement: "Competent to perform solo patrol duties.", on: day(releaseDay)), me, attesting,
            count: &count)
        try await record(.requestSoloRelease(on: day(releaseDay), releaseStatement: "Released to L car."), me, sgt, count: &count)
        try await record(.concurInSoloRelease(on: day(releaseDay)), me, Self.chief, count: &count)
        try await record(.startProbation(start: day(releaseDay)), me, sgt, count: &count)
        if seat == 0 {
            try await record(
                .extendProbation(newEnd: day(releaseDay).adding(months: 18), reason: "Extended leave during probation", on: day(-2)), me, sgt,
                count: &count)
        }
    }
}
