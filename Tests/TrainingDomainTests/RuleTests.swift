import Testing
import TrainingDomain

/// One row per rule: a scenario, a command, and the rule it must break (with words the
/// message must contain). Nothing is recorded when a rule is broken.
struct RuleCase: CustomTestStringConvertible, Sendable {
    var name: String
    var setup: @Sendable () -> Scenario
    var command: @Sendable (Scenario) -> TrainingCommand
    var actor: Actor = Scenario.sergeant
    var rule: DomainError.Rule
    var mentions: [String]
    /// Whose record it is (nobody acts on their own), when the case is about that.
    var subject: OfficerID? = nil
    /// An override reason the command carries.
    var override: String? = nil
    /// The paper the command transcribes.
    var document: PaperDocument? = nil

    var testDescription: String { name }
}

let ftStart = Scenario.fieldTrainingStart
let ruleCases: [RuleCase] = [
    RuleCase(
        name: "nothing before hire", setup: { Scenario() },
        command: { _ in .enrollInAcademy(classNumber: "1", academy: "OC", start: Scenario.hire, source: nil) },
        rule: .notHired, mentions: ["hire the recruit first"]),
    RuleCase(
        name: "hired once", setup: { Scenario.hired() },
        command: { _ in .hireRecruit(trainee: Scenario.trainee, name: "X", badge: "Y", hireDate: Scenario.hire, agency: AgencyID("p")) },
        rule: .alreadyHired, mentions: ["already on file"]),
    RuleCase(
        name: "no dates in the future", setup: { Scenario.hired() },
        command: { s in .separate(kind: .resigned, reason: "Moving away", on: s.today.adding(days: 1)) }, rule: .futureDate,
        mentions: ["in the future", "Dana Whitfield"]),
    RuleCase(
        name: "only administrators hire", setup: { Scenario() },
        command: { _ in .hireRecruit(trainee: Scenario.trainee, name: "X", badge: "Y", hireDate: Scenario.hire, agency: AgencyID("p")) },
        actor: Scenario.fto1, rule: .notAuthorized, mentions: ["may not hire recruits"]),
    RuleCase(
        name: "one retest, then recycle or separate",
        setup: {
            var s = Scenario.inAcademy()
            let test = AcademyTestKey(domain: "LD 20", test: "written")
            for _ in 0..<2 {
                s.given(
                    .recordAcademyTest(test: test, passed: false, score: 60, instructor: "V", on: Scenario.hire.adding(days: 50), source: nil),
                    as: Scenario.instructor)
            }
            return s
        },
        command: { _ in
            .recordAcademyTest(
                test: AcademyTestKey(domain: "LD 20", test: "written"), passed: true, score: 90, instructor: "V", on: Scenario.hire.adding(days: 60),
                source: nil)
        },
        actor: Scenario.instructor, rule: .retestLimit, mentions: ["LD 20 written", "recycle"]),
    RuleCase(
        name: "graduation needs every required test passed", setup: { Scenario.inAcademy() },
        command: { _ in .graduateAcademy(on: Scenario.hire.adding(days: 190)) }, rule: .testsOutstanding, mentions: ["LD 1 written", "not passed"]),
    RuleCase(
        name: "no field training before graduation", setup: { Scenario.inAcademy() }, command: { _ in .startFieldTraining(on: ftStart) },
        rule: .notGraduated, mentions: ["before academy graduation"]),
    RuleCase(
        name: "no DOR outside field training", setup: { Scenario.graduated() },
        command: { _ in .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart, ratings: Scenario.acceptable(), narrative: "") },
        actor: Scenario.fto1, rule: .notInFieldTraining, mentions: ["not in field training"]),
    RuleCase(
        name: "a DOR names an FTO assigned to the phase", setup: { Scenario.inFieldTraining() },
        command: { _ in
            .fileDailyObservation(fto: Scenario.fto2.id, shiftDate: ftStart.adding(days: 1), ratings: Scenario.acceptable(), narrative: "")
        },
        actor: Scenario.fto2, rule: .ftoNotAssigned, mentions: ["fto.chen", "not assigned to phase 1"]),
    RuleCase(
        name: "an FTO files DORs only as themself", setup: { Scenario.inFieldTraining() },
        command: { _ in
            .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: 1), ratings: Scenario.acceptable(), narrative: "")
        },
        actor: Scenario.fto2, rule: .notAuthorized, mentions: ["only that FTO"]),
    RuleCase(
        name: "a DOR's shift is not before the phase started", setup: { Scenario.inFieldTraining() },
        command: { _ in
            .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: -1), ratings: Scenario.acceptable(), narrative: "")
        },
        actor: Scenario.fto1, rule: .shiftBeforePhase, mentions: ["before phase 1 started"]),
    RuleCase(
        name: "ratings run 1 to 7", setup: { Scenario.inFieldTraining() },
        command: { _ in
            .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: 1), ratings: ["driving_normal": .score(9)], narrative: "x")
        },
        actor: Scenario.fto1, rule: .ratingOutOfRange, mentions: ["is 9", "1–7"]),
    RuleCase(
        name: "categories come from policy", setup: { Scenario.inFieldTraining() },
        command: { _ in
            .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: 1), ratings: ["juggling": .score(4)], narrative: "")
        },
        actor: Scenario.fto1, rule: .unknownCategory, mentions: ["juggling"]),
    RuleCase(
        name: "low ratings need a narrative", setup: { Scenario.inFieldTraining() },
        command: { _ in
            .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: 1), ratings: ["report_writing": .score(2)], narrative: " ")
        },
        actor: Scenario.fto1, rule: .narrativeRequired, mentions: ["report writing 2"]),
    RuleCase(
        name: "high ratings and NRT need a narrative", setup: { Scenario.inFieldTraining() },
        command: { _ in
            .fileDailyObservation(
                fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: 1), ratings: ["attitude": .score(7), "radio_use": .notRespondingToTraining],
                narrative: "")
        },
        actor: Scenario.fto1, rule: .narrativeRequired, mentions: ["attitude 7", "radio use NRT"]),
    RuleCase(
        name: "one DOR per FTO per shift",
        setup: {
            var s = Scenario.inFieldTraining()
            s.given(
                .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: 1), ratings: Scenario.acceptable(), narrative: ""),
                as: Scenario.fto1)
            return s
        },
        command: { _ in
            .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: 1), ratings: Scenario.acceptable(), narrative: "")
        },
        actor: Scenario.fto1, rule: .duplicateDOR, mentions: ["amend that one"]),
    RuleCase(
        name: "an FTO must be qualified on the shift date",
        setup: {
            var s = Scenario.inFieldTraining()
            var barred = s.ftoQualifications[Scenario.fto1.id]!
            barred.prohibitions.append(
                .init(from: ftStart, until: ftStart.adding(days: 3 * 365), reason: "AB 26 substantiated abuse-of-force complaint"))
            s.ftoQualifications[Scenario.fto1.id] = barred
            return s
        },
        command: { _ in
            .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: 2), ratings: Scenario.acceptable(), narrative: "")
        },
        actor: Scenario.fto1, rule: .ftoNotQualified, mentions: ["barred from training", "AB 26"]),
    RuleCase(
        name: "an FTO overdue for the 3-year update may not train",
        setup: {
            var s = Scenario.inFieldTraining()
            var old = s.ftoQualifications[Scenario.fto1.id]!
            old.qualifiedOn = Day("2020-01-01")!
            s.ftoQualifications[Scenario.fto2.id] = old
            return s
        },
        command: { _ in .assignFTO(fto: Scenario.fto2.id, phase: 1, on: ftStart) }, rule: .ftoNotQualified, mentions: ["24-hour FTO update"]),
    RuleCase(
        name: "no phase sign-off with open remedial training",
        setup: {
            var s = Scenario.inFieldTraining()
            s.given(.assignRemedial(category: "report_writing", due: ftStart.adding(days: 30), plan: "Practice reports", on: ftStart.adding(days: 5)))
            return s
        },
        command: { _ in .completePhase(phase: 1, on: ftStart.adding(days: 42), earlyCompletionReason: nil) }, rule: .remedialOpen,
        mentions: ["phase 1 cannot be signed off: remedial training in report writing is still open (assigned \(ftStart.adding(days: 5)))"]),
    RuleCase(
        name: "no phase sign-off before its minimum length without a reason", setup: { Scenario.phaseOneEvaluated() },
        command: { _ in .completePhase(phase: 1, on: ftStart.adding(days: 20), earlyCompletionReason: nil) }, rule: .phaseTooShort,
        mentions: ["before \(ftStart.adding(days: 42))", "records why"]),
    RuleCase(
        name: "only a training sergeant signs phases", setup: { Scenario.inFieldTraining() },
        command: { _ in .completePhase(phase: 1, on: ftStart.adding(days: 42), earlyCompletionReason: nil) }, actor: Scenario.chief,
        rule: .notAuthorized, mentions: ["may not sign off a phase", "training sergeant"]),
    RuleCase(
        name: "extensions are bounded by policy",
        setup: {
            var s = Scenario.inFieldTraining()
            s.given(.extendPhase(phase: 1, weeks: 2, reason: "Report writing", on: ftStart.adding(days: 30)))
            s.given(.extendPhase(phase: 1, weeks: 2, reason: "Report writing", on: ftStart.adding(days: 40)))
            return s
        },
        command: { _ in .extendPhase(phase: 1, weeks: 2, reason: "Again", on: ftStart.adding(days: 50)) }, rule: .extensionLimit,
        mentions: ["already extended 2 times"]),
    RuleCase(
        name: "solo patrol needs every gate", setup: { Scenario.inFieldTraining() },
        command: { _ in .requestSoloRelease(on: ftStart.adding(days: 30), releaseStatement: "Go")
        },
        rule: .soloGatesFailing, mentions: ["phases complete", "checklist", "FTO attestation"]),
    RuleCase(
        name: "solo patrol needs the chief's or a designee's own concurrence",
        setup: {
            var s = Scenario.readyForSolo()
            s.given(.requestSoloRelease(on: Scenario.soloDay, releaseStatement: "Go"))
            return s
        },
        command: { _ in .concurInSoloRelease(on: Scenario.soloDay) },
        actor: Actor(id: OfficerID("lt.x"), role: .commandStaff), rule: .notAuthorized, mentions: ["may not concur", "chief or chief designee"]),
    RuleCase(
        name: "only a training sergeant requests a release to solo patrol", setup: { Scenario.readyForSolo() },
        command: { _ in .requestSoloRelease(on: Scenario.soloDay, releaseStatement: "Go") },
        actor: Scenario.chief, rule: .notAuthorized, mentions: ["request a release to solo patrol"]),
    RuleCase(
        name: "the chief concurs only in a requested release", setup: { Scenario.readyForSolo() },
        command: { _ in .concurInSoloRelease(on: Scenario.soloDay) }, actor: Scenario.chief, rule: .releaseNotRequested,
        mentions: ["the training sergeant requests it first"]),
    RuleCase(
        name: "solo patrol needs current coursework",
        setup: {
            var s = Scenario.readyForSolo()
            s.today = Scenario.soloDay.adding(days: 400)
            return s
        },
        command: { _ in
            .requestSoloRelease(on: Scenario.soloDay.adding(days: 400), releaseStatement: "Go")
        },
        rule: .soloGatesFailing, mentions: ["use of force overdue since"]),
    RuleCase(
        name: "probation cannot complete before its end date", setup: { Scenario.onProbation() },
        command: { _ in .completeProbation(on: Scenario.soloDay.adding(days: 1)) }, rule: .probationNotOver,
        mentions: ["cannot complete before its end date"]),
    RuleCase(
        name: "probation completion needs the interval reviews",
        setup: {
            var s = Scenario.onProbation()
            s.today = Scenario.soloDay.adding(months: 13)
            return s
        },
        command: { _ in .completeProbation(on: Scenario.soloDay.adding(months: 12)) }, rule: .reviewsMissing, mentions: ["3-month"]),
    RuleCase(
        name: "a probation extension after the end date is refused (Trejo)",
        setup: {
            var s = Scenario.onProbation()
            s.today = Scenario.soloDay.adding(months: 12).adding(days: 1)
            return s
        },
        command: { _ in
            .extendProbation(
                newEnd: Scenario.soloDay.adding(months: 18), reason: "More time", on: Scenario.soloDay.adding(months: 12).adding(days: 1))
        },
        rule: .extensionTooLate, mentions: ["Trejo", "before the end date"]),
    RuleCase(
        name: "nothing happens to a separated trainee except corrections",
        setup: {
            var s = Scenario.inFieldTraining()
            s.given(.separate(kind: .resigned, reason: "Took another job", on: ftStart.adding(days: 3)))
            return s
        },
        command: { _ in .assignRemedial(category: "report_writing", due: ftStart.adding(days: 20), plan: "x", on: ftStart.adding(days: 4)) },
        rule: .separated, mentions: ["separated (resigned)", "only corrections"]),
    RuleCase(
        name: "bias training counts only with its instructor", setup: { Scenario.hired() },
        command: { _ in
            .recordCourse(
                courseType: "implicit_bias", title: "POST video", hours: 2, provider: "POST", instructor: nil, completedOn: Scenario.hire,
                certificateReference: nil)
        },
        rule: .instructorRequired, mentions: ["name the instructor"]),
    RuleCase(
        name: "course types come from policy", setup: { Scenario.hired() },
        command: { _ in
            .recordCourse(
                courseType: "basket_weaving", title: "x", hours: 2, provider: "y", instructor: nil, completedOn: Scenario.hire,
                certificateReference: nil)
        },
        rule: .unknownCourse, mentions: ["basket_weaving"]),
    RuleCase(
        name: "a correction names an entry of this record", setup: { Scenario.hired() },
        command: { _ in .retractEntry(entry: EntryID("nope"), reason: "x", on: Scenario.hire) }, rule: .unknownEntry, mentions: ["has no entry nope"]),
    RuleCase(
        name: "only the author's role or higher corrects an entry",
        setup: { Scenario.inFieldTraining() },
        command: { s in .retractEntry(entry: s.entries.last!.id, reason: "x", on: ftStart) }, actor: Scenario.fto1,
        rule: .notAuthorized, mentions: ["only that role or a higher one"]),
    RuleCase(
        name: "a correction keeps the entry's kind",
        setup: { Scenario.inFieldTraining() },
        command: { s in .correctEntry(entry: s.entries.last!.id, reason: "x", replacement: .graduated(), on: ftStart) },
        rule: .correctionNotAllowed, mentions: ["keep the entry's kind"]),
    RuleCase(
        name: "only the trainee signs their DOR",
        setup: {
            var s = Scenario.inFieldTraining()
            s.given(
                .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: 1), ratings: Scenario.acceptable(), narrative: ""),
                as: Scenario.fto1)
            return s
        },
        command: { s in .acknowledgeDailyObservation(report: s.entries.last!.id, signed: true, note: nil, on: ftStart.adding(days: 1)) },
        actor: Scenario.fto1, rule: .notAuthorized, mentions: ["only the trainee"]),
    RuleCase(
        name: "a hire needs a name", setup: { Scenario() },
        command: { _ in .hireRecruit(trainee: Scenario.trainee, name: " ", badge: "R-1", hireDate: Scenario.hire, agency: AgencyID("p")) },
        rule: .invalidInput, mentions: ["name must not be empty"]),
    RuleCase(
        name: "test results need an academy class", setup: { Scenario.hired() },
        command: { _ in
            .recordAcademyTest(
                test: AcademyTestKey(domain: "LD 1", test: "written"), passed: true, score: 90, instructor: "V", on: Scenario.hire, source: nil)
        },
        actor: Scenario.instructor, rule: .notInAcademy, mentions: ["enroll the recruit first"]),
    RuleCase(
        name: "a graduate is not enrolled again", setup: { Scenario.graduated() },
        command: { _ in .enrollInAcademy(classNumber: "OC-2", academy: "OC", start: Scenario.hire.adding(days: 200), source: nil) },
        rule: .alreadyGraduated, mentions: ["graduated from the academy on"]),
    RuleCase(
        name: "field training starts once", setup: { Scenario.inFieldTraining() }, command: { _ in .startFieldTraining(on: ftStart.adding(days: 1)) },
        rule: .alreadyInFieldTraining, mentions: ["already started on \(ftStart)"]),
    RuleCase(
        name: "FTOs are assigned to the current phase", setup: { Scenario.inFieldTraining() },
        command: { _ in .assignFTO(fto: Scenario.fto2.id, phase: 2, on: ftStart) }, rule: .wrongPhase, mentions: ["is in phase 1, not phase 2"]),
    RuleCase(
        name: "a DOR is acknowledged once",
        setup: {
            var s = Scenario.inFieldTraining()
            let dor = s.given(
                .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: 1), ratings: Scenario.acceptable(), narrative: ""),
                as: Scenario.fto1)
            s.given(.acknowledgeDailyObservation(report: dor.id, signed: true, note: nil, on: ftStart.adding(days: 1)), as: Scenario.traineeActor)
            return s
        },
        command: { s in .acknowledgeDailyObservation(report: s.entries[s.entries.count - 2].id, signed: true, note: nil, on: ftStart.adding(days: 2))
        },
        actor: Scenario.traineeActor, rule: .alreadyAcknowledged, mentions: ["already acknowledged"]),
    RuleCase(
        name: "only open remedial training is closed", setup: { Scenario.inFieldTraining() },
        command: { _ in .completeRemedial(remedial: EntryID("e404"), notes: "Done", on: ftStart.adding(days: 3)) },
        rule: .remedialNotOpen, mentions: ["no open remedial training e404"]),
    RuleCase(
        name: "solo patrol is cleared once", setup: { Scenario.onProbation() },
        command: { _ in .requestSoloRelease(on: Scenario.soloDay, releaseStatement: "Again") },
        rule: .alreadyCleared, mentions: ["was cleared for solo patrol on"]),
    RuleCase(
        name: "probation after solo release starts at the release", setup: { Scenario.readyForSolo() },
        command: { _ in .startProbation(start: Scenario.soloDay) }, rule: .notCleared, mentions: ["clear solo patrol first"]),
    RuleCase(
        name: "no probation review before probation", setup: { Scenario.readyForSolo() },
        command: { _ in .reviewProbation(interval: 3, outcome: .satisfactory, notes: "ok", on: Scenario.soloDay) },
        rule: .probationNotStarted, mentions: ["is not on probation"]),
    RuleCase(
        name: "probation starts once", setup: { Scenario.onProbation() },
        command: { _ in .startProbation(start: Scenario.soloDay.adding(days: 1)) }, rule: .alreadyOnProbation, mentions: ["already started on"]),
    RuleCase(
        name: "probation completes once",
        setup: {
            var s = Scenario.onProbation()
            for interval in [3, 6, 9, 12] {
                s.today = Scenario.soloDay.adding(months: interval)
                s.given(.reviewProbation(interval: interval, outcome: .satisfactory, notes: "ok", on: Scenario.soloDay.adding(months: interval)))
            }
            s.given(.completeProbation(on: Scenario.soloDay.adding(months: 12)))
            return s
        },
        command: { _ in .completeProbation(on: Scenario.soloDay.adding(months: 12)) }, rule: .alreadyCompleted, mentions: ["completed probation on"]),
    RuleCase(
        name: "a trainee registered as an FTO is not assigned to their own file", setup: { Scenario.inFieldTraining() },
        command: { _ in .assignFTO(fto: OfficerID(Scenario.trainee.rawValue), phase: 1, on: ftStart) },
        rule: .ownRecord, mentions: ["cannot supervise, rate or sign for their own record"], subject: OfficerID(Scenario.trainee.rawValue)),
    RuleCase(
        name: "nobody rates themselves", setup: { Scenario.inFieldTraining() },
        command: { _ in
            .fileDailyObservation(
                fto: OfficerID(Scenario.trainee.rawValue), shiftDate: ftStart.adding(days: 1), ratings: Scenario.acceptable(7), narrative: "Superb")
        },
        actor: Actor(id: OfficerID(Scenario.trainee.rawValue), role: .fto), rule: .ownRecord,
        mentions: ["may not record this on their own record"], subject: OfficerID(Scenario.trainee.rawValue)),
    RuleCase(
        name: "an officer does not record their own qualification", setup: { Scenario() },
        command: { _ in .qualifyFTO(courseDate: Scenario.hire) }, rule: .ownRecord, mentions: ["nobody supervises, rates or signs for themselves"],
        subject: Scenario.sergeant.id),
    RuleCase(
        name: "nothing more is recorded on a file with an unreadable entry until an operator decides",
        setup: {
            var s = Scenario.inFieldTraining()
            let unreadable = UnreadableEntry(storedType: "field-training.future-thing.v9", storedSchemaVersion: 1, version: 9, reason: "unknown type")
            TrainingDecider.evolve(&s.file, Entry(id: EntryID("u1"), occurredOn: ftStart, actor: Scenario.sergeant, event: .unreadable(unreadable)))
            return s
        },
        command: { _ in .extendPhase(phase: 1, weeks: 1, reason: "More time", on: ftStart.adding(days: 3)) },
        rule: .unreadableEntry, mentions: ["cannot be read: unknown type", "system administrator sets it aside"]),
    RuleCase(
        name: "only a system administrator decides on unreadable entries",
        setup: {
            var s = Scenario.inFieldTraining()
            let unreadable = UnreadableEntry(storedType: "x.v9", storedSchemaVersion: 1, version: 9, reason: "unknown type")
            TrainingDecider.evolve(&s.file, Entry(id: EntryID("u1"), occurredOn: ftStart, actor: Scenario.sergeant, event: .unreadable(unreadable)))
            return s
        },
        command: { _ in .resolveUnreadable(entry: EntryID("u1"), resolution: .setAside, reason: "Bad import", on: ftStart) },
        rule: .notAuthorized, mentions: ["may not decide on unreadable entries", "system administrator"]),
]

extension TrainingEvent {
    static func graduated() -> TrainingEvent { .academyGraduated(AcademyGraduated(date: Scenario.hire)) }
}

@Suite struct RuleTests {
    @Test("each rule refuses with a message naming the rule and the way forward", arguments: ruleCases + programRuleCases)
    func rule(_ rule: RuleCase) {
        var scenario = rule.setup()
        let command = rule.command(scenario)
        scenario.subject = rule.subject
        let before = scenario.entries.count
        let error = #expect(throws: DomainError.self) {
            try scenario.run(command, as: rule.actor, override: rule.override, document: rule.document)
        }
        #expect(scenario.entries.count == before)
        #expect(error?.rule == rule.rule, "\(error?.message ?? "")")
        for words in rule.mentions {
            #expect(error?.message.contains(words) == true, "\"\(error?.message ?? "")\" should mention \"\(words)\"")
        }
    }

    @Test("every rule the domain can refuse with has a row in a table")
    func everyRuleHasARow() {
        let covered = Set((ruleCases + programRuleCases).map(\.rule)).union(rosterRuleCases.map(\.rule)).union(policyRuleCases.map(\.rule))
        let missing = DomainError.Rule.allCases.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "no table row for \(missing.map(\.rawValue))")
    }

    @Test("an operator sets an unreadable entry aside, and the file takes entries again")
    func unreadableSetAside() throws {
        var s = Scenario.inFieldTraining()
        let unreadable = UnreadableEntry(storedType: "x.v9", storedSchemaVersion: 1, version: 9, reason: "unknown type")
        TrainingDecider.evolve(&s.file, Entry(id: EntryID("u1"), occurredOn: ftStart, actor: Scenario.sergeant, event: .unreadable(unreadable)))
        let admin = Actor(id: OfficerID("it.admin"), role: .systemAdministrator)
        let reread = #expect(throws: DomainError.self) {
            try s.run(.resolveUnreadable(entry: EntryID("u1"), resolution: .reread, reason: "Fixed", on: ftStart), as: admin)
        }
        #expect(reread?.rule == .unreadableEntry)
        try s.run(.resolveUnreadable(entry: EntryID("u1"), resolution: .setAside, reason: "Corrupt import; re-keyed by hand", on: ftStart), as: admin)
        #expect(s.file.unreadable.isEmpty)
        try s.run(.extendPhase(phase: 1, weeks: 1, reason: "More time", on: ftStart.adding(days: 3)))
    }

    @Test("a phase can end early when the sergeant records why")
    func earlyPhaseWithReason() throws {
        var s = Scenario.phaseOneEvaluated()
        try s.run(.completePhase(phase: 1, on: ftStart.adding(days: 20), earlyCompletionReason: "Lateral with prior FTP"))
        #expect(s.file.fieldTraining?.currentPhase?.number == 2)
    }

    @Test("a refused signature is noted, not signed")
    func refusedSignature() throws {
        var s = Scenario.inFieldTraining()
        let dor = s.given(
            .fileDailyObservation(fto: Scenario.fto1.id, shiftDate: ftStart.adding(days: 1), ratings: Scenario.acceptable(), narrative: ""),
            as: Scenario.fto1)
        try s.run(
            .acknowledgeDailyObservation(
                report: dor.id, signed: false, note: "Trainee declined to sign; initialed by FTO", on: ftStart.adding(days: 1)), as: Scenario.fto1)
        #expect(s.file.fieldTraining?.dors[dor.id]?.acknowledgement?.signed == false)
    }

    @Test("a probation extension before the end date moves the end")
    func probationExtension() throws {
        var s = Scenario.onProbation()
        let end = Scenario.soloDay.adding(months: 12)
        s.today = end.adding(days: -10)
        try s.run(.extendProbation(newEnd: end.adding(months: 6), reason: "Needs more patrol time", on: end.adding(days: -10)))
        #expect(s.file.probation?.end == end.adding(months: 6))
    }

    @Test("state is judged under the policy in force on the day")
    func policyInForce() throws {
        var s = Scenario.phaseOneEvaluated()
        var strict = TrainingPolicy.pasadenaDefault
        strict.fieldTraining.phases[0].minimumWeeks = 10
        s.policies.adopt(strict, effective: ftStart.adding(days: 50))
        // Under the old policy 6 weeks suffice on day 45; from day 50 the new minimum applies.
        var early = s
        try early.run(.completePhase(phase: 1, on: ftStart.adding(days: 45), earlyCompletionReason: nil))
        let error = #expect(throws: DomainError.self) {
            try s.run(.completePhase(phase: 1, on: ftStart.adding(days: 55), earlyCompletionReason: nil))
        }
        #expect(error?.rule == .phaseTooShort)
    }
}
