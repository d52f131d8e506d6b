import EventLog
import Foundation
import TrainingDomain
import TrainingRecords
import TrainingServices

/// A department generated from a seed: users, FTOs and six recruits on different paths (a
/// retest, a recycle, a remedial assignment and a phase extension, a refused signature and a
/// rebuttal, a separation, a correction and a retraction, an overridden plausibility check,
/// full releases, a probation extension and completion, one probation left past its end).
///
/// Every act is written twice, independently: as the command the service records live (on the
/// act's own day), and as the CSV row a records clerk fills in from its paper record. A
/// backfill of the CSV files must record what the live service recorded.
struct GeneratedDepartment {
    static let agency = AgencyID("pasadena")
    /// The day the backfill runs (and users are registered).
    static let today = Day("2026-11-15")!
    static let policy = TrainingPolicy.pasadenaDefault

    static let chief = OfficerID("chief.perez")
    static let sergeant = OfficerID("sgt.okafor")
    static let instructor = OfficerID("inst.vance")
    static let evaluator = OfficerID("fto.adeyemi")
    static let trainers = ["fto.ramos", "fto.chen", "fto.walker"].map { OfficerID($0) }
    /// Barred from training late in 2026; trains nobody.
    static let barred = OfficerID("fto.brooks")

    enum Live {
        case register(OfficerID, name: String, role: Role)
        case record(FileReference, override: String?, command: @Sendable ([String: EntryID]) -> TrainingCommand)
    }

    struct Act {
        var date: Day
        var actor: OfficerID
        var live: Live
        var file: String
        /// Acts with the same key share one CSV row (a DOR and the trainee's signature on it).
        var row: String
        var columns: [String: String]
        /// Later acts name this act's entry by it (live: the entry id; CSV: the row's `ref`).
        var label: String?
    }

    private(set) var acts: [Act] = []
    private var random: SeededGenerator
    private var rows = 0

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
        users()
        officers()
        recruits()
    }

    // MARK: - Acts

    /// Adds an act; `row` joins it to an earlier act's row, `signer` names the column that
    /// holds the actor (nil: the row names them already).
    private mutating func act(
        _ file: String, _ date: Day, by actor: OfficerID, on reference: FileReference, row: String? = nil, signer: String? = "signed_by",
        label: String? = nil, override: String? = nil, _ columns: [String: String],
        _ command: @escaping @Sendable ([String: EntryID]) -> TrainingCommand
    ) {
        var columns = columns
        if let signer { columns[signer] = actor.rawValue }
        if let override { columns["override_reason"] = override }
        if let label { columns["ref"] = label }
        if row == nil && columns["document"] == nil {
            let whose = reference.person.rawValue
            columns["document"] = "\(Self.forms[file] ?? file) \(whose) \(date)"
        }
        let key =
            row
            ?? {
                rows += 1
                return "row-\(rows)"
            }()
        acts.append(
            Act(
                date: date, actor: actor, live: .record(reference, override: override, command: command), file: file, row: key,
                columns: columns, label: label))
    }

    /// The paper form each file is transcribed from.
    static let forms = [
        "fto.csv": "FTO qualification file", "courses.csv": "Training certificate", "academy.csv": "Academy notice",
        "field_training.csv": "FTP file", "phase_reports.csv": "Phase report", "remedial.csv": "Remedial training worksheet",
        "weekly_reports.csv": "Supervisor's weekly report", "tasks.csv": "Competency checklist", "releases.csv": "FTP completion record",
        "probation.csv": "Probation file", "separations.csv": "Personnel action", "corrections.csv": "Correction memo",
        "rebuttals.csv": "Rebuttal memo",
    ]

    private mutating func register(_ user: OfficerID, _ name: String, _ role: Role, by registrar: OfficerID) {
        rows += 1
        acts.append(
            Act(
                date: Day("2023-06-01")!, actor: registrar, live: .register(user, name: name, role: role), file: "users.csv", row: "row-\(rows)",
                columns: [
                    "user": user.rawValue, "name": name, "role": role.rawValue, "date": "2023-06-01", "signed_by": registrar.rawValue,
                    "document": "Personnel memo 23-41",
                ], label: nil))
    }

    // MARK: - Users and officers

    private mutating func users() {
        register(Self.chief, "Chief J. Perez", .chief, by: Self.chief)
        register(Self.sergeant, "Sgt. A. Okafor", .trainingSergeant, by: Self.chief)
        register(Self.instructor, "Dep. R. Vance (OCSD academy)", .academyInstructor, by: Self.sergeant)
        for fto in Self.trainers + [Self.evaluator, Self.barred] {
            register(fto, "Ofc. \(fto.rawValue.dropFirst(4).capitalized)", .fto, by: Self.sergeant)
        }
        for recruit in Self.recruits { register(OfficerID(recruit.id.rawValue), recruit.name, .trainee, by: Self.sergeant) }
    }

    private mutating func officers() {
        for (index, fto) in (Self.trainers + [Self.evaluator, Self.barred]).enumerated() {
            let me = FileReference.officer(fto)
            let certified = Day("2014-06-02")!.adding(days: index * 30)
            act(
                "fto.csv", certified, by: Self.sergeant, on: me,
                ["officer": fto.rawValue, "event": "basic_certificate", "date": "\(certified)", "certificate": "BC-\(4100 + index)"]
            ) { _ in
                .awardBasicCertificate(certificate: "BC-\(4100 + index)", on: certified)
            }
            let patrol = certified.adding(days: 30)
            act("fto.csv", patrol, by: Self.sergeant, on: me, ["officer": fto.rawValue, "event": "patrol_start", "date": "\(patrol)"]) { _ in
                .startPatrolAssignment(on: patrol)
            }
            let course = Day("2022-09-12")!.adding(days: index * 7)
            act("fto.csv", course, by: Self.sergeant, on: me, ["officer": fto.rawValue, "event": "fto_course", "date": "\(course)"]) { _ in
                .qualifyFTO(courseDate: course)
            }
            let update = Day("2025-06-02")!.adding(days: index * 7)
            act("fto.csv", update, by: Self.sergeant, on: me, ["officer": fto.rawValue, "event": "fto_update", "date": "\(update)"]) { _ in
                .recordFTOUpdate(date: update)
            }
        }
        let from = Day("2026-10-01")!
        let until = Day("2029-10-01")!
        act(
            "fto.csv", from, by: Self.sergeant, on: .officer(Self.barred),
            [
                "officer": Self.barred.rawValue, "event": "prohibited", "date": "\(from)", "until": "\(until)",
                "reason": "AB 26: sustained complaint, IA 26-114",
            ]
        ) { _ in .prohibitFTO(from: from, until: until, reason: "AB 26: sustained complaint, IA 26-114") }
        let course = Day("2026-02-10")!
        act(
            "courses.csv", course, by: Self.sergeant, on: .officer(Self.trainers[0]),
            [
                "officer": Self.trainers[0].rawValue, "course_type": "use_of_force", "title": "Use of force, de-escalation", "hours": "4",
                "provider": "PPD Training", "date": "\(course)", "certificate": "UOF-26-031",
            ]
        ) { _ in
            .recordCourse(
                courseType: "use_of_force", title: "Use of force, de-escalation", hours: 4, provider: "PPD Training", instructor: nil,
                completedOn: course, certificateReference: "UOF-26-031")
        }
    }

    // MARK: - Recruits

    struct Recruit {
        var id: TraineeID
        var name: String
        var badge: String
        var hire: Day
        var me: FileReference { .trainee(id) }
        var user: OfficerID { OfficerID(id.rawValue) }
    }

    static let recruits = [
        Recruit(id: TraineeID("r-01"), name: "Dana Whitfield", badge: "R-2301", hire: Day("2024-02-05")!),
        Recruit(id: TraineeID("r-02"), name: "Sam Ortiz", badge: "R-2302", hire: Day("2023-10-02")!),
        Recruit(id: TraineeID("r-03"), name: "Lee Park", badge: "R-2303", hire: Day("2024-09-02")!),
        Recruit(id: TraineeID("r-04"), name: "Jordan Hayes", badge: "R-2304", hire: Day("2025-01-06")!),
        Recruit(id: TraineeID("r-05"), name: "Avery Kim", badge: "R-2305", hire: Day("2024-03-04")!),
        Recruit(id: TraineeID("r-06"), name: "Riley Santos", badge: "R-2306", hire: Day("2026-05-04")!),
    ]

    private mutating func recruits() {
        let r = Self.recruits
        // Acts of one recruit are generated stage by stage, then ordered by day (stably: acts
        // of one day stay in the order generated, which is the order they happen in).
        for (index, recruit) in r.enumerated() {
            let start = acts.count
            switch index {
            case 0:
                let graduated = academy(recruit, class: "OC-24-1", lowPassOverride: true)
                let solo = fieldTraining(recruit, from: graduated.adding(days: 10), phases: 4)
                release(recruit, after: solo)
                probation(recruit, from: solo.adding(days: 3), reviews: [3, 6, 9, 12], extend: false, complete: true)
            case 1:
                let graduated = academy(recruit, class: "OC-23-4", retest: true)
                let solo = fieldTraining(recruit, from: graduated.adding(days: 10), phases: 4, weakPhase: 2, endOfPhase: true)
                release(recruit, after: solo)
                probation(recruit, from: solo.adding(days: 3), reviews: [3, 6, 9, 12], extend: true, complete: true)
            case 2:
                let recycled = academyFailedTwice(recruit, class: "OC-24-5")
                let graduated = academy(recruit, class: "OC-25-2", start: recycled.adding(days: 35), hired: false)
                _ = fieldTraining(recruit, from: graduated.adding(days: 10), phases: 1, inProgress: true)
            case 3:
                let graduated = academy(recruit, class: "OC-25-1")
                let left = fieldTraining(recruit, from: graduated.adding(days: 10), phases: 0, inProgress: true, refusal: true)
                separate(recruit, on: left.adding(days: 35))
            case 4:
                let graduated = academy(recruit, class: "OC-24-2", correction: true)
                let solo = fieldTraining(recruit, from: graduated.adding(days: 10), phases: 4, retractWeekly: true)
                release(recruit, after: solo)
                probation(recruit, from: solo.adding(days: 3), reviews: [3, 6], extend: false, complete: false)
            default:
                _ = academy(recruit, class: "OC-26-2", testsTaken: 3)
            }
            let mine = acts[start...].enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
            acts.replaceSubrange(start..., with: mine)
        }
    }

    private mutating func score(_ range: ClosedRange<Int> = 75...98) -> Int { Int.random(in: range, using: &random) }

    /// Hire (unless `hired` is false: a recycled recruit), enroll, every required test, graduation.
    /// Returns the graduation day (or, with `testsTaken`, the last test's day).
    @discardableResult
    private mutating func academy(
        _ recruit: Recruit, class number: String, start: Day? = nil, hired: Bool = true, retest: Bool = false, lowPassOverride: Bool = false,
        correction: Bool = false, testsTaken: Int? = nil
    ) -> Day {
        let me = recruit.me
        if hired {
            let hire = recruit.hire
            act(
                "hires.csv", hire, by: Self.sergeant, on: me,
                [
                    "trainee": recruit.id.rawValue, "name": recruit.name, "badge": recruit.badge, "hire_date": "\(hire)",
                    "document": "Personnel order \(recruit.badge)",
                ]
            ) { _ in .hireRecruit(trainee: recruit.id, name: recruit.name, badge: recruit.badge, hireDate: hire, agency: Self.agency) }
        }
        let classStart = start ?? recruit.hire.adding(days: 7)
        let academyName = "Orange County Sheriff's Regional Academy"
        act(
            "academy.csv", classStart, by: Self.sergeant, on: me,
            [
                "trainee": recruit.id.rawValue, "event": "enroll", "date": "\(classStart)", "class": number, "academy": academyName,
                "source": "import:OCSD",
            ]
        ) { _ in .enrollInAcademy(classNumber: number, academy: academyName, start: classStart, source: "import:OCSD") }
        let tests = Self.policy.academy.requiredTests.prefix(testsTaken ?? .max)
        var day = classStart
        for (index, test) in tests.enumerated() {
            day = classStart.adding(days: 30 + index * 14)
            if retest && index == 2 {
                record(recruit, test, passed: false, score: 58, on: day)
                day = day.adding(days: 7)
            }
            let low = lowPassOverride && index == tests.count - 1
            record(
                recruit, test, passed: true, score: low ? 68 : score(), on: day,
                override: low ? "Passed on the academy's re-score of the written exam (OCSD memo 24-17)" : nil,
                label: correction && index == 0 ? "\(recruit.id)-first-test" : nil)
        }
        if correction {
            let test = tests[tests.startIndex]
            let corrected = day.adding(days: 2)
            act(
                "corrections.csv", corrected, by: Self.sergeant, on: me,
                [
                    "trainee": recruit.id.rawValue, "action": "correct", "entry": "\(recruit.id)-first-test", "date": "\(corrected)",
                    "reason": "Score keyed from the wrong transcript line", "changes": "score=91",
                ]
            ) { labels in
                .correctEntry(
                    entry: labels["\(recruit.id)-first-test"]!, reason: "Score keyed from the wrong transcript line",
                    replacement: .academyTestRecorded(
                        AcademyTestRecorded(test: test, attempt: 1, passed: true, score: 91, instructor: "Dep. Vance", source: "import:OCSD")),
                    on: corrected)
            }
        }
        if testsTaken != nil { return day }
        let graduation = classStart.adding(days: 190)
        act("academy.csv", graduation, by: Self.sergeant, on: me, ["trainee": recruit.id.rawValue, "event": "graduate", "date": "\(graduation)"]) {
            _ in
            .graduateAcademy(on: graduation)
        }
        for (type, title, hours, provider, instructor) in [
            ("use_of_force", "Use of force, de-escalation", 4.0, "PPD Training", nil),
            ("implicit_bias", "RIPA and implicit bias", 2.0, "POST", "Lt. Gray"),
        ] as [(String, String, Double, String, String?)] {
            let done = graduation.adding(days: 3)
            var columns = [
                "trainee": recruit.id.rawValue, "course_type": type, "title": title, "hours": hours == 4 ? "4" : "2", "provider": provider,
                "date": "\(done)", "certificate": "\(type.prefix(3).uppercased())-\(recruit.badge)",
            ]
            columns["instructor"] = instructor
            act("courses.csv", done, by: Self.sergeant, on: me, columns) { _ in
                .recordCourse(
                    courseType: CourseType(type), title: title, hours: hours, provider: provider, instructor: instructor, completedOn: done,
                    certificateReference: "\(type.prefix(3).uppercased())-\(recruit.badge)")
            }
        }
        return graduation
    }

    private mutating func record(
        _ recruit: Recruit, _ test: AcademyTestKey, passed: Bool, score: Int, on day: Day, override: String? = nil, label: String? = nil
    ) {
        act(
            "academy_tests.csv", day, by: Self.instructor, on: recruit.me, label: label, override: override,
            [
                "trainee": recruit.id.rawValue, "domain": test.domain, "test": test.test, "date": "\(day)", "result": passed ? "pass" : "fail",
                "score": "\(score)", "instructor": "Dep. Vance", "source": "import:OCSD", "document": "OCSD transcript \(recruit.badge)",
            ]
        ) { _ in .recordAcademyTest(test: test, passed: passed, score: Double(score), instructor: "Dep. Vance", on: day, source: "import:OCSD") }
    }

    /// Hired, enrolled, fails one test and its retest, recycled: returns the day.
    private mutating func academyFailedTwice(_ recruit: Recruit, class number: String) -> Day {
        let lastTaken = academy(recruit, class: number, testsTaken: 3)
        let test = Self.policy.academy.requiredTests[3]
        record(recruit, test, passed: false, score: 55, on: lastTaken.adding(days: 14))
        record(recruit, test, passed: false, score: 61, on: lastTaken.adding(days: 28))
        let day = lastTaken.adding(days: 30)
        act(
            "academy.csv", day, by: Self.sergeant, on: recruit.me,
            ["trainee": recruit.id.rawValue, "event": "recycle", "date": "\(day)", "to_class": "OC-25-2", "reason": "Failed LD 20 scenario twice"]
        ) { _ in .recycleAcademy(toClass: "OC-25-2", reason: "Failed LD 20 scenario twice", on: day) }
        return day
    }

    private mutating func ratings(weak: Bool = false) -> [Category: Rating] {
        var ratings: [Category: Rating] = [:]
        for category in Self.policy.fieldTraining.categories { ratings[category] = .score(Int.random(in: 4...5, using: &random)) }
        if weak { ratings["report_writing"] = .score(3) }
        return ratings
    }

    private static func columns(_ ratings: [Category: Rating]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: ratings.map { ($0.key.rawValue, $0.value.description) })
    }

    /// Field training from `start`: orientation, then `phases` phases signed off (and, when
    /// `inProgress`, the next one under way). Returns the last phase's sign-off day.
    private mutating func fieldTraining(
        _ recruit: Recruit, from start: Day, phases: Int, inProgress: Bool = false, weakPhase: Int? = nil, endOfPhase: Bool = false,
        refusal: Bool = false, retractWeekly: Bool = false
    ) -> Day {
        let id = recruit.id.rawValue
        let me = recruit.me
        var ftos = Self.trainers
        ftos.shuffle(using: &random)
        act("field_training.csv", start, by: Self.sergeant, on: me, ["trainee": id, "event": "start", "date": "\(start)"]) { _ in
            .startFieldTraining(on: start)
        }
        let oriented = start.adding(days: 4)
        act(
            "field_training.csv", oriented, by: Self.sergeant, on: me,
            ["trainee": id, "event": "orientation", "date": "\(start)", "end_date": "\(oriented)", "topics": "policies; facilities; radio"]
        ) { _ in .recordOrientation(from: start, to: oriented, topics: ["policies", "facilities", "radio"]) }
        var day = start
        let tasks = Self.policy.fieldTraining.requiredTasks
        for phase in Self.policy.fieldTraining.phases.prefix(phases + (inProgress ? 1 : 0)) {
            let number = phase.number
            let fto = number == 4 ? ftos[0] : ftos[number - 1]
            let phaseStart = day
            act(
                "field_training.csv", phaseStart, by: Self.sergeant, on: me,
                ["trainee": id, "event": "assign_fto", "date": "\(phaseStart)", "fto": fto.rawValue, "phase": "\(number)"]
            ) { _ in .assignFTO(fto: fto, phase: number, on: phaseStart) }
            var end = phaseStart.adding(days: phase.minimumWeeks * 7)
            let weak = weakPhase == number
            let shifts = [3, 4, 4, 3][number - 1] + (weak ? 1 : 0)
            for shift in 0..<shifts {
                let shiftDay = phaseStart.adding(days: 1 + shift * 7 + Int.random(in: 0...1, using: &random))
                let isWeak = weak && shift == 0
                let refused = refusal && shift == 1
                dor(recruit, fto: fto, on: shiftDay, weak: isWeak, refused: refused)
                if isWeak {
                    let due = shiftDay.adding(days: 14)
                    let closed = shiftDay.adding(days: 12)
                    let key = "remedial-\(id)-\(number)"
                    act(
                        "remedial.csv", shiftDay, by: fto, on: me, row: nil,
                        [
                            "trainee": id, "category": "report_writing", "date": "\(shiftDay)", "due": "\(due)",
                            "plan": "Two practice reports a shift, reviewed by the FTO",
                        ]
                    ) { _ in
                        .assignRemedial(category: "report_writing", due: due, plan: "Two practice reports a shift, reviewed by the FTO", on: shiftDay)
                    }
                    let assignment = acts.count - 1
                    acts[assignment].row = key
                    acts[assignment].label = key
                    act(
                        "remedial.csv", closed, by: fto, on: me, row: key, signer: "closed_by",
                        ["closed_on": "\(closed)", "outcome": "completed", "notes": "Reports now complete and on time"]
                    ) { labels in .completeRemedial(remedial: labels[key]!, notes: "Reports now complete and on time", on: closed) }
                }
            }
            if number == 1 {
                let weekEnding = phaseStart.adding(days: 6)
                let label = retractWeekly ? "\(id)-weekly-1" : nil
                act(
                    "weekly_reports.csv", weekEnding, by: Self.sergeant, on: me, label: label,
                    [
                        "trainee": id, "date": "\(weekEnding)", "summary": "Settling in; radio traffic still slow", "needs_improvement": "radio_use",
                        "plan": "Ride-along with dispatch",
                    ]
                ) { _ in
                    .reportSupervisorWeekly(
                        weekEnding: weekEnding,
                        report: WeeklyReportContent(
                            summary: "Settling in; radio traffic still slow", needsImprovement: ["radio_use"], plan: "Ride-along with dispatch"))
                }
                if let label {
                    let retracted = weekEnding.adding(days: 3)
                    act(
                        "corrections.csv", retracted, by: Self.sergeant, on: me,
                        ["trainee": id, "action": "retract", "entry": label, "date": "\(retracted)", "reason": "Filed on the wrong trainee's record"]
                    ) { labels in .retractEntry(entry: labels[label]!, reason: "Filed on the wrong trainee's record", on: retracted) }
                }
            }
            if number == 2 || number == 3 {
                for (offset, task) in (number == 2 ? tasks.prefix(4) : tasks.dropFirst(4)).enumerated() {
                    let signed = phaseStart.adding(days: 3 + offset * 7)
                    let acknowledged = signed.adding(days: 1)
                    let key = "task-\(id)-\(task)"
                    act(
                        "tasks.csv", signed, by: fto, on: me, row: nil,
                        [
                            "trainee": id, "task": task, "date": "\(signed)",
                            "call_reference": "CAD-\(signed.description.replacingOccurrences(of: "-", with: ""))",
                        ]
                    ) { _ in
                        .signOffTask(
                            task: task, fto: fto, callReference: "CAD-\(signed.description.replacingOccurrences(of: "-", with: ""))", on: signed)
                    }
                    acts[acts.count - 1].row = key
                    act("tasks.csv", acknowledged, by: recruit.user, on: me, row: key, signer: nil, ["acknowledged_on": "\(acknowledged)"]) { _ in
                        .acknowledgeTask(task: task, on: acknowledged)
                    }
                }
            }
            if inProgress && number == phases + 1 { return day }
            if endOfPhase && number == 1 {
                let reported = end.adding(days: -1)
                let content = PhaseReportContent(
                    ratings: ratings(), strengths: ["officer_safety"], recommendation: .advance, narrative: "Ready for phase 2, rides well")
                phaseReport(recruit, "end_of_phase", number, by: fto, on: reported, content)
            }
            if weak {
                let extend = PhaseReportContent(
                    ratings: ratings(), needsImprovement: ["report_writing"], recommendation: .extend,
                    narrative: "Reports improving; needs two more weeks")
                phaseReport(recruit, "evaluation", number, by: Self.evaluator, on: end, extend)
                let extendedOn = end
                act(
                    "field_training.csv", extendedOn, by: Self.sergeant, on: me,
                    [
                        "trainee": id, "event": "extend_phase", "date": "\(extendedOn)", "phase": "\(number)", "weeks": "2",
                        "reason": "Report writing, per evaluation",
                    ]
                ) { _ in .extendPhase(phase: number, weeks: 2, reason: "Report writing, per evaluation", on: extendedOn) }
                dor(recruit, fto: fto, on: end.adding(days: 3), weak: false, refused: false)
                end = end.adding(days: 14)
            }
            let evaluation = PhaseReportContent(ratings: ratings(), recommendation: .advance, narrative: "Meets the solo standard for this phase")
            phaseReport(recruit, "evaluation", number, by: Self.evaluator, on: end, evaluation)
            let completed = end
            act(
                "field_training.csv", completed, by: Self.sergeant, on: me,
                ["trainee": id, "event": "complete_phase", "date": "\(completed)", "phase": "\(number)"]
            ) {
                _ in .completePhase(phase: number, on: completed, earlyCompletionReason: nil)
            }
            day = end
        }
        return day
    }

    private mutating func phaseReport(
        _ recruit: Recruit, _ kind: String, _ phase: Int, by author: OfficerID, on day: Day, _ content: PhaseReportContent
    ) {
        var columns = Self.columns(content.ratings)
        columns.merge(
            [
                "trainee": recruit.id.rawValue, "report": kind, "phase": "\(phase)", "date": "\(day)",
                "recommendation": content.recommendation.rawValue,
                "narrative": content.narrative, "strengths": content.strengths.map(\.rawValue).joined(separator: ";"),
                "needs_improvement": content.needsImprovement.map(\.rawValue).joined(separator: "; "),
            ]) { $1 }
        act("phase_reports.csv", day, by: author, on: recruit.me, columns) { _ in
            kind == "evaluation"
                ? .evaluatePhase(phase: phase, evaluator: author, report: content, on: day)
                : .reportEndOfPhase(phase: phase, fto: author, report: content, on: day)
        }
    }

    /// A DOR, signed by the trainee the next day (or, `refused`, their refusal noted by the
    /// FTO, and a rebuttal filed).
    private mutating func dor(_ recruit: Recruit, fto: OfficerID, on shift: Day, weak: Bool, refused: Bool) {
        let id = recruit.id.rawValue
        let key = "dor-\(id)-\(shift)"
        let ratings = ratings(weak: weak)
        let narrative = weak ? "Report writing below standard: two reports returned, one incomplete" : "Solid shift, handled calls well"
        var columns = Self.columns(ratings)
        columns.merge(["trainee": id, "date": "\(shift)", "narrative": narrative, "document": "DOR \(id) \(shift)"]) { $1 }
        act("dors.csv", shift, by: fto, on: recruit.me, label: key, columns) { _ in
            .fileDailyObservation(fto: fto, shiftDate: shift, ratings: ratings, narrative: narrative)
        }
        acts[acts.count - 1].row = key
        let signed = shift.adding(days: 1)
        if refused {
            let note = "Refused to sign; witnessed by Sgt. Okafor"
            act(
                "dors.csv", signed, by: fto, on: recruit.me, row: key, signer: "refusal_noted_by",
                ["acknowledged_on": "\(signed)", "acknowledgment": "refused", "acknowledgment_note": note]
            ) { labels in .acknowledgeDailyObservation(report: labels[key]!, signed: false, note: note, on: signed) }
            let rebutted = signed.adding(days: 1)
            act(
                "rebuttals.csv", rebutted, by: recruit.user, on: recruit.me,
                ["trainee": id, "date": "\(rebutted)", "entry": key, "text": "The call was cleared by dispatch before I arrived, not by me"]
            ) { labels in .fileRebuttal(entry: labels[key]!, text: "The call was cleared by dispatch before I arrived, not by me", on: rebutted) }
        } else {
            act("dors.csv", signed, by: recruit.user, on: recruit.me, row: key, signer: nil, ["acknowledged_on": "\(signed)"]) { labels in
                .acknowledgeDailyObservation(report: labels[key]!, signed: true, note: nil, on: signed)
            }
        }
    }

    /// Attestation, the sergeant's request and the chief's concurrence, after the last phase.
    private mutating func release(_ recruit: Recruit, after lastPhase: Day) {
        let id = recruit.id.rawValue
        let attested = lastPhase.adding(days: 1)
        let fto = acts.last {
            $0.file == "field_training.csv" && $0.columns["trainee"] == id && $0.columns["phase"] == "4" && $0.columns["fto"] != nil
        }!
        let trainer = OfficerID(fto.columns["fto"]!)
        act(
            "releases.csv", attested, by: trainer, on: recruit.me,
            ["trainee": id, "event": "attest", "date": "\(attested)", "statement": "Competent to patrol alone"]
        ) {
            _ in .attestCompetency(fto: trainer, statement: "Competent to patrol alone", on: attested)
        }
        let requested = lastPhase.adding(days: 2)
        act(
            "releases.csv", requested, by: Self.sergeant, on: recruit.me,
            ["trainee": id, "event": "request", "date": "\(requested)", "statement": "Released to L car"]
        ) {
            _ in .requestSoloRelease(on: requested, releaseStatement: "Released to L car")
        }
        let concurred = lastPhase.adding(days: 3)
        act("releases.csv", concurred, by: Self.chief, on: recruit.me, ["trainee": id, "event": "concur", "date": "\(concurred)"]) { _ in
            .concurInSoloRelease(on: concurred)
        }
    }

    private mutating func probation(_ recruit: Recruit, from start: Day, reviews: [Int], extend: Bool, complete: Bool) {
        let id = recruit.id.rawValue
        let me = recruit.me
        act("probation.csv", start, by: Self.sergeant, on: me, ["trainee": id, "event": "start", "date": "\(start)"]) { _ in
            .startProbation(start: start)
        }
        var end = start.adding(months: 12)
        if extend {
            let signed = start.adding(months: 11)
            let newEnd = end.adding(months: 3)
            act(
                "probation.csv", signed, by: Self.sergeant, on: me,
                ["trainee": id, "event": "extend", "date": "\(signed)", "new_end": "\(newEnd)", "reason": "Report writing, remedial plan"]
            ) { _ in .extendProbation(newEnd: newEnd, reason: "Report writing, remedial plan", on: signed) }
            end = newEnd
        }
        for interval in reviews {
            let day = start.adding(months: interval)
            act(
                "probation.csv", day, by: Self.sergeant, on: me,
                [
                    "trainee": id, "event": "review", "date": "\(day)", "interval": "\(interval)", "outcome": "satisfactory",
                    "notes": "Meets expectations",
                ]
            ) { _ in .reviewProbation(interval: interval, outcome: .satisfactory, notes: "Meets expectations", on: day) }
        }
        if complete {
            let done = end
            act("probation.csv", done, by: Self.sergeant, on: me, ["trainee": id, "event": "complete", "date": "\(done)"]) { _ in
                .completeProbation(on: done)
            }
        }
    }

    private mutating func separate(_ recruit: Recruit, on day: Day) {
        act(
            "separations.csv", day, by: Self.sergeant, on: recruit.me,
            ["trainee": recruit.id.rawValue, "date": "\(day)", "kind": "resigned", "reason": "Accepted a position with another agency"]
        ) { _ in .separate(kind: .resigned, reason: "Accepted a position with another agency", on: day) }
    }

    // MARK: - Output

    /// The CSV files, by name: one row per row key; the file's own columns in the order the
    /// format lists them, then the categories, then who signed and the paper.
    func csvFiles() -> [String: String] {
        var files: [String: (columns: [String], rows: [String: [String: String]], order: [String])] = [:]
        for act in acts {
            var file = files[act.file] ?? ([], [:], [])
            for column in act.columns.keys where !file.columns.contains(column) { file.columns.append(column) }
            file.columns.sort { Self.place(of: $0, in: act.file) < Self.place(of: $1, in: act.file) }
            if file.rows[act.row] == nil { file.order.append(act.row) }
            file.rows[act.row, default: [:]].merge(act.columns) { $1 }
            files[act.file] = file
        }
        return files.mapValues { file in
            let lines =
                [file.columns.map(Self.quoted).joined(separator: ",")]
                + file.order.map { key in file.columns.map { Self.quoted(file.rows[key]?[$0] ?? "") }.joined(separator: ",") }
            return lines.joined(separator: "\r\n") + "\r\n"
        }
    }

    static func place(of column: String, in file: String) -> (Int, Int, String) {
        let columns = BackfillPlan.columns(of: file)!
        let common = BackfillColumns.common + BackfillColumns.commonOptional + ["override_reason"]
        let own = (columns.required + columns.optional).filter { !common.contains($0) }
        if let index = ["user", "trainee", "officer"].firstIndex(of: column) { return (-1, index, column) }
        if let index = own.firstIndex(of: column) {
            return (columns.required.contains(column) ? 0 : 2, index, column)
        }
        if let index = policy.fieldTraining.categories.firstIndex(of: Category(column)) { return (1, index, column) }
        return (3, ["signed_by", "document", "document_date", "override_reason", "ref"].firstIndex(of: column) ?? 9, column)
    }

    static func quoted(_ value: String) -> String {
        guard value.contains(where: { ",\"\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Writes the CSV files into a new temporary folder.
    func writeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backfill-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in csvFiles() { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }

    /// Records every act through the service, each on its own day (users on the backfill's day).
    func recordLive(_ store: any EventStore) async throws {
        var labels: [String: EntryID] = [:]
        for (index, act) in acts.enumerated() {
            do {
                switch act.live {
                case .register(let user, let name, let role):
                    let service = TrainingService(store: store, agency: Self.agency, clock: .fixed(Self.today))
                    let actor = act.actor == user ? Actor(id: user, role: role) : try await service.resolve(act.actor)
                    try await service.register(user, name: name, role: role, by: actor, provenance: Provenance(source: "test:live"))
                case .record(let reference, let override, let command):
                    let service = TrainingService(store: store, agency: Self.agency, clock: .fixed(act.date))
                    let events = try await service.record(
                        command(labels), on: reference, by: try await service.resolve(act.actor), provenance: Provenance(source: "test:live"),
                        overrideReason: override)
                    if let label = act.label { labels[label] = EntryID(events[0].id.uuidString.lowercased()) }
                }
            } catch {
                throw LiveFailure(description: "act \(index) (\(act.file) \(act.date) by \(act.actor)): \(error)")
            }
        }
    }

    struct LiveFailure: Error, CustomStringConvertible { var description: String }

    /// Every stream the department writes to.
    var streams: [StreamID] {
        var names: [StreamID] = [try! Streams.users(Self.agency)]
        for act in acts {
            guard case .record(let reference, _, _) = act.live, let stream = try? reference.stream, !names.contains(stream) else { continue }
            names.append(stream)
        }
        return names
    }
}
