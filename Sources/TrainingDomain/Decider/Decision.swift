extension TrainingDecider: Decider {
    public static var initial: PersonnelFile { PersonnelFile() }

    /// Decides what to record for `command` given the file as it stands, or throws the rule it
    /// breaks. Every entry is stamped with the command's business date and acting user.
    public static func decide(_ command: TrainingCommand, _ file: PersonnelFile, _ context: CommandContext) throws(DomainError) -> [Entry] {
        var subject = file.displayName
        if case .hireRecruit(_, let name, let badge, _, _) = command, file.profile == nil { subject = "\(name) (\(badge))" }
        return try Decision(file: file, context: context, subject: subject).decide(command)
    }
}

/// Roles allowed to administer a file (hire, enroll, assign, record courses, probation).
let administrators: Set<Role> = [.trainingSergeant, .commandStaff, .chiefDesignee, .chief]

/// One decision on one personnel file: the shared checks every area uses, and the dispatch to
/// the area that decides each command (academy, field training, probation, coursework,
/// people, amendments: one file each).
struct Decision {
    let file: PersonnelFile
    let context: CommandContext
    /// How messages name the person (a recruit being hired has no file yet).
    let subject: String

    var actor: Actor { context.actor }

    func decide(_ command: TrainingCommand) throws(DomainError) -> [Entry] {
        let entries = try dispatch(command)
        if let document = context.document {
            try nonEmpty(document.reference, "the paper record's reference")
            try notInFuture(document.signedOn, "the paper record's signing date")
        }
        if let reason = context.overrideReason, !reason.allSatisfy(\.isWhitespace),
            !entries.contains(where: { if case .plausibilityOverridden = $0.event { true } else { false } })
        {
            throw fail(.invalidInput, "an override reason was given, but nothing in this entry needs overriding; record it without one")
        }
        return entries
    }

    func dispatch(_ command: TrainingCommand) throws(DomainError) -> [Entry] {
        if case .resolveUnreadable(let entry, let resolution, let reason, let day) = command {
            return try resolveUnreadable(entry, resolution: resolution, reason: reason, on: day)
        }
        if let (id, unreadable) = file.unreadable.min(by: { $0.value.version < $1.value.version }) {
            throw fail(
                .unreadableEntry,
                "\(unreadable.summary) (entry \(id)); nothing more is recorded here until a system administrator sets it aside or confirms it reads again"
            )
        }
        try notOwnRecord(command)
        switch command {
        case .hireRecruit(let trainee, let name, let badge, let hireDate, let agency):
            return try hire(trainee, name: name, badge: badge, on: hireDate, agency: agency)
        case .separate(let kind, let reason, let day):
            return try separate(kind, reason: reason, on: day)
        case .enrollInAcademy(let classNumber, let academy, let start, let source):
            return try enroll(classNumber: classNumber, academy: academy, start: start, source: source)
        case .recordAcademyTest(let test, let passed, let score, let instructor, let day, let source):
            return try recordTest(test, passed: passed, score: score, instructor: instructor, on: day, source: source)
        case .graduateAcademy(let day):
            return try graduate(on: day)
        case .recycleAcademy(let toClass, let reason, let day):
            return try recycle(toClass: toClass, reason: reason, on: day)
        case .startFieldTraining(let day):
            return try startFieldTraining(on: day)
        case .assignFTO(let fto, let phase, let day):
            return try assign(fto, phase: phase, on: day)
        case .reportSupervisorWeekly(let weekEnding, let report):
            return try weeklyReport(weekEnding: weekEnding, report: report)
        case .recordOrientation(let from, let to, let topics):
            return try recordOrientation(from: from, to: to, topics: topics)
        case .acknowledgeTask(let task, let day):
            return try acknowledgeTask(task, on: day)
        case .reportEndOfPhase(let phase, let fto, let report, let day):
            return try reportEndOfPhase(phase, fto: fto, report: report, on: day)
        case .evaluatePhase(let phase, let evaluator, let report, let day):
            return try evaluatePhase(phase, evaluator: evaluator, report: report, on: day)
        case .fileDailyObservation(let fto, let shiftDate, let ratings, let narrative):
            return try fileDOR(fto: fto, shiftDate: shiftDate, ratings: ratings, narrative: narrative)
        case .acknowledgeDailyObservation(let report, let signed, let note, let day):
            return try acknowledge(report, signed: signed, note: note, on: day)
        case .fileRebuttal(let entry, let text, let day):
            return try rebut(entry, text: text, on: day)
        case .signOffTask(let task, let fto, let callReference, let day):
            return try signOff(task: task, fto: fto, callReference: callReference, on: day)
        case .assignRemedial(let category, let due, let plan, let day):
            return try assignRemedial(category, due: due, plan: plan, on: day)
        case .completeRemedial(let remedial, let notes, let day):
            return try closeRemedial(remedial, completed: true, notes: notes, on: day)
        case .failRemedial(let remedial, let notes, let day):
            return try closeRemedial(remedial, completed: false, notes: notes, on: day)
        case .extendPhase(let phase, let weeks, let reason, let day):
            return try extendPhase(phase, weeks: weeks, reason: reason, on: day)
        case .completePhase(let phase, let day, let earlyReason):
            return try completePhase(phase, on: day, earlyReason: earlyReason)
        case .attestCompetency(let fto, let statement, let day):
            return try attest(fto: fto, statement: statement, on: day)
        case .requestSoloRelease(let day, let statement):
            return try requestRelease(on: day, statement: statement)
        case .concurInSoloRelease(let day):
            return try concurInRelease(on: day)
        case .declineSoloRelease(let reason, let day):
            return try declineRelease(reason: reason, on: day)
        case .startProbation(let start):
            return try startProbation(start)
        case .reviewProbation(let interval, let outcome, let notes, let day):
            return try reviewProbation(interval: interval, outcome: outcome, notes: notes, on: day)
        case .extendProbation(let newEnd, let reason, let day):
            return try extendProbation(to: newEnd, reason: reason, on: day)
        case .completeProbation(let day):
            return try completeProbation(on: day)
        case .recordCourse(let type, let title, let hours, let provider, let instructor, let completedOn, let certificate):
            return try recordCourse(
                type, title: title, hours: hours, provider: provider, instructor: instructor, on: completedOn, certificate: certificate)
        case .qualifyFTO(let courseDate):
            return try qualifyFTO(courseDate: courseDate)
        case .recordFTOUpdate(let date):
            return try recordFTOUpdate(on: date)
        case .prohibitFTO(let from, let until, let reason):
            return try prohibitFTO(from: from, until: until, reason: reason)
        case .awardBasicCertificate(let certificate, let day):
            return try awardBasicCertificate(certificate, on: day)
        case .startPatrolAssignment(let day):
            return try startPatrolAssignment(on: day)
        case .correctEntry(let target, let reason, let replacement, let day):
            return try correct(target, reason: reason, replacement: replacement, on: day)
        case .retractEntry(let target, let reason, let day):
            return try retract(target, reason: reason, on: day)
        case .resolveUnreadable:
            preconditionFailure("decided above")
        }
    }

    // MARK: - Checks every area shares

    func fail(_ rule: DomainError.Rule, _ text: String) -> DomainError {
        DomainError(rule, "\(subject): \(text)")
    }

    func policy(on day: Day) -> TrainingPolicy { context.policies.policy(on: day) }

    func record(_ event: TrainingEvent, on day: Day) throws(DomainError) -> [Entry] {
        try Recorder(context: context).entries([(event, day)])
    }

    /// Nobody supervises, rates or signs for themselves: the only acts on one's own record are
    /// acknowledging and rebutting what others wrote there.
    func notOwnRecord(_ command: TrainingCommand) throws(DomainError) {
        switch command {
        case .acknowledgeDailyObservation, .fileRebuttal, .acknowledgeTask: return
        default: break
        }
        let named: [OfficerID] =
            switch command {
            case .assignFTO(let fto, _, _), .fileDailyObservation(let fto, _, _, _), .signOffTask(_, let fto, _, _),
                .attestCompetency(let fto, _, _), .reportEndOfPhase(_, let fto, _, _), .evaluatePhase(_, let fto, _, _):
                [fto]
            default: []
            }
        guard let subject = context.subject else { return }
        if actor.id == subject {
            throw fail(.ownRecord, "\(actor.id) may not record this on their own record; nobody supervises, rates or signs for themselves")
        }
        if let person = named.first(where: { $0 == subject }) {
            throw fail(.ownRecord, "\(person) cannot supervise, rate or sign for their own record")
        }
    }

    func requireRole(_ roles: Set<Role>, to action: String) throws(DomainError) {
        guard roles.contains(actor.role) else {
            let allowed = roles.map(\.description).sorted().joined(separator: " or ")
            throw fail(.notAuthorized, "\(actor.id) acting as \(actor.role) may not \(action); that takes a \(allowed)")
        }
    }

    func notInFuture(_ day: Day, _ field: String) throws(DomainError) {
        guard day <= context.today else {
            throw fail(.futureDate, "\(field) \(day) is in the future (today is \(context.today)); record it on or after the day")
        }
    }

    func nonEmpty(_ text: String, _ field: String) throws(DomainError) {
        guard !text.allSatisfy(\.isWhitespace) else { throw fail(.invalidInput, "\(field) must not be empty") }
    }

    @discardableResult
    func hiredAndActive() throws(DomainError) -> Profile {
        guard let profile = file.profile else { throw DomainError(.notHired, "no recruit is on file here; hire the recruit first") }
        try notSeparated()
        return profile
    }

    func notSeparated() throws(DomainError) {
        if let separation = file.separation {
            throw fail(.separated, "separated (\(separation.kind.rawValue)) on \(separation.on); only corrections may be recorded now")
        }
    }
}
