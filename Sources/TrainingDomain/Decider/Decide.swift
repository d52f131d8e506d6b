extension TrainingDecider {
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

struct Decision {
    let file: PersonnelFile
    let context: CommandContext
    /// How messages name the person (a recruit being hired has no file yet).
    let subject: String

    var actor: Actor { context.actor }

    func fail(_ rule: DomainError.Rule, _ text: String) -> DomainError {
        DomainError(rule, "\(subject): \(text)")
    }

    func policy(on day: Day) -> TrainingPolicy { context.policies.policy(on: day) }

    func record(_ event: TrainingEvent, on day: Day) throws(DomainError) -> [Entry] {
        guard let id = context.newEntryIDs.first else {
            throw fail(.invalidInput, "no entry id was supplied with the command")
        }
        return [Entry(id: id, occurredOn: day, actor: actor, event: event)]
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

    func hiredAndActive() throws(DomainError) {
        guard file.profile != nil else { throw DomainError(.notHired, "no recruit is on file here; hire the recruit first") }
        try notSeparated()
    }

    func notSeparated() throws(DomainError) {
        if let separation = file.separation {
            throw fail(.separated, "separated (\(separation.kind.rawValue)) on \(separation.on); only corrections may be recorded now")
        }
    }

    func inFieldTraining() throws(DomainError) -> FieldTrainingRecord {
        try hiredAndActive()
        guard let training = file.fieldTraining else {
            throw fail(.notInFieldTraining, "is not in field training; start field training after academy graduation")
        }
        return training
    }

    func currentPhase(_ training: FieldTrainingRecord) throws(DomainError) -> PhaseRecord {
        guard let phase = training.currentPhase else {
            throw fail(.notInFieldTraining, "has completed every field training phase")
        }
        return phase
    }

    func qualified(_ fto: OfficerID, on day: Day) throws(DomainError) {
        guard let record = context.ftoQualifications[fto] else {
            throw fail(.ftoNotQualified, "FTO \(fto) has no FTO qualification on record; record the 40-hour FTO course first")
        }
        if let reason = record.disqualification(on: day, updateEveryMonths: policy(on: day).ftoUpdateEveryMonths) {
            throw fail(.ftoNotQualified, "FTO \(fto) \(reason) on \(day)")
        }
    }

    // MARK: - Commands

    func decide(_ command: TrainingCommand) throws(DomainError) -> [Entry] {
        switch command {
        case .hireRecruit(let trainee, let name, let badge, let hireDate, let agency):
            try requireRole(administrators, to: "hire recruits")
            guard file.profile == nil else { throw fail(.alreadyHired, "is already on file (hired \(file.profile!.hireDate))") }
            try nonEmpty(name, "name")
            try nonEmpty(badge, "badge")
            try notInFuture(hireDate, "hire date")
            return try record(.recruitHired(RecruitHired(trainee: trainee, name: name, badge: badge, hireDate: hireDate, agency: agency)), on: hireDate)

        case .enrollInAcademy(let classNumber, let academy, let start, let source):
            try requireRole(administrators, to: "enroll recruits")
            try hiredAndActive()
            if let current = file.academy {
                if current.graduatedOn != nil { throw fail(.alreadyGraduated, "graduated from the academy on \(current.graduatedOn!)") }
                if current.recycledTo == nil {
                    throw fail(.invalidInput, "is already enrolled in class \(current.classNumber); recycle the recruit to move classes")
                }
            }
            try nonEmpty(classNumber, "class")
            try nonEmpty(academy, "academy")
            guard start >= file.profile!.hireDate else {
                throw fail(.invalidInput, "academy start \(start) is before the hire date \(file.profile!.hireDate)")
            }
            // Enrolling in an upcoming class is normal: the entry is dated when it is recorded.
            return try record(
                .academyEnrolled(AcademyEnrolled(classNumber: classNumber, academy: academy, start: start, source: source)),
                on: min(start, context.today))

        case .recordAcademyTest(let test, let passed, let score, let instructor, let day, let source):
            try requireRole([.academyInstructor, .trainingSergeant], to: "record academy test results")
            try hiredAndActive()
            guard let academy = file.academy, academy.graduatedOn == nil, academy.recycledTo == nil else {
                throw fail(.notInAcademy, "is not enrolled in an academy class; enroll the recruit first")
            }
            try notInFuture(day, "test date")
            guard day >= academy.start else { throw fail(.invalidInput, "test date \(day) is before the class started (\(academy.start))") }
            try nonEmpty(instructor, "instructor")
            if let score, !(0...100).contains(score) { throw fail(.invalidInput, "score \(score) must be between 0 and 100") }
            let attempts = academy.attempts[test] ?? []
            if attempts.contains(where: \.passed) { throw fail(.invalidInput, "already passed \(test)") }
            let allowed = policy(on: day).academy.retestsAllowed + 1
            guard attempts.count < allowed else {
                throw fail(
                    .retestLimit,
                    "failed \(test) \(attempts.count) times and policy allows \(allowed) attempts; recycle the recruit into a later class or separate")
            }
            return try record(
                .academyTestRecorded(
                    AcademyTestRecorded(test: test, attempt: attempts.count + 1, passed: passed, score: score, instructor: instructor, source: source)),
                on: day)

        case .graduateAcademy(let day):
            try requireRole(administrators, to: "record academy graduation")
            try hiredAndActive()
            guard let academy = file.academy, academy.recycledTo == nil else { throw fail(.notInAcademy, "is not enrolled in an academy class") }
            if let date = academy.graduatedOn { throw fail(.alreadyGraduated, "already graduated on \(date)") }
            try notInFuture(day, "graduation date")
            let outstanding = policy(on: day).academy.requiredTests.filter { !academy.passed($0) }
            guard outstanding.isEmpty else {
                throw fail(
                    .testsOutstanding,
                    "cannot graduate: \(outstanding.map(\.description).joined(separator: ", ")) not passed; record passing results first")
            }
            return try record(.academyGraduated(AcademyGraduated(date: day)), on: day)

        case .recycleAcademy(let toClass, let reason, let day):
            try requireRole(administrators, to: "recycle recruits")
            try hiredAndActive()
            guard let academy = file.academy, academy.graduatedOn == nil, academy.recycledTo == nil else {
                throw fail(.notInAcademy, "is not in an academy class to recycle from")
            }
            try nonEmpty(toClass, "class")
            try nonEmpty(reason, "reason")
            try notInFuture(day, "date")
            return try record(.academyRecycled(AcademyRecycled(toClass: toClass, reason: reason)), on: day)

        case .startFieldTraining(let day):
            try requireRole(administrators, to: "start field training")
            try hiredAndActive()
            guard let graduated = file.academy?.graduatedOn else {
                throw fail(.notGraduated, "cannot start field training before academy graduation; record the graduation first")
            }
            guard file.fieldTraining == nil else { throw fail(.alreadyInFieldTraining, "field training already started on \(file.fieldTraining!.startedOn)") }
            try notInFuture(day, "start date")
            guard day >= graduated else { throw fail(.invalidInput, "start date \(day) is before graduation (\(graduated))") }
            return try record(.fieldTrainingStarted(FieldTrainingStarted(date: day)), on: day)

        case .assignFTO(let fto, let phase, let day):
            try requireRole(administrators, to: "assign FTOs")
            let training = try inFieldTraining()
            let current = try currentPhase(training)
            guard phase == current.number else {
                throw fail(.wrongPhase, "is in phase \(current.number), not phase \(phase); assign FTOs to the current phase")
            }
            try notInFuture(day, "assignment date")
            try qualified(fto, on: day)
            return try record(.ftoAssigned(FTOAssigned(fto: fto, phase: phase)), on: day)

        case .reportSupervisorWeekly(let weekEnding, let summary):
            try requireRole(administrators, to: "file supervisor's weekly reports")
            _ = try inFieldTraining()
            try notInFuture(weekEnding, "week ending")
            try nonEmpty(summary, "summary")
            return try record(.supervisorWeeklyReported(SupervisorWeeklyReported(weekEnding: weekEnding, summary: summary)), on: weekEnding)

        case .fileDailyObservation(let fto, let shiftDate, let ratings, let narrative):
            let training = try inFieldTraining()
            guard actor.role == .fto, actor.id == fto else {
                throw fail(.notAuthorized, "\(actor.id) acting as \(actor.role) may not file a DOR as FTO \(fto); only that FTO files it")
            }
            let phase = try currentPhase(training)
            guard phase.ftos.contains(fto) else {
                throw fail(.ftoNotAssigned, "FTO \(fto) is not assigned to phase \(phase.number); the training sergeant assigns FTOs")
            }
            try notInFuture(shiftDate, "shift date")
            guard shiftDate >= phase.startedOn else {
                throw fail(.shiftBeforePhase, "shift date \(shiftDate) is before phase \(phase.number) started (\(phase.startedOn))")
            }
            try validateRatings(ratings, narrative: narrative, policy: policy(on: shiftDate))
            if training.dors.values.contains(where: { $0.shiftDate == shiftDate && $0.fto == fto }) {
                throw fail(.duplicateDOR, "already has a DOR from \(fto) for \(shiftDate); amend that one instead")
            }
            try qualified(fto, on: shiftDate)
            return try record(
                .dailyObservationReported(
                    DailyObservationReported(fto: fto, shiftDate: shiftDate, phase: phase.number, ratings: ratings, narrative: narrative)),
                on: shiftDate)

        case .acknowledgeDailyObservation(let report, let signed, let note, let day):
            let training = try inFieldTraining()
            guard let dor = training.dors[report] else { throw fail(.unknownEntry, "has no DOR \(report)") }
            if signed {
                guard actor.role == .trainee, actor.id.rawValue == file.profile?.trainee.rawValue else {
                    throw fail(.notAuthorized, "only the trainee signs their own DOR")
                }
            } else {
                try requireRole([.fto, .trainingSergeant], to: "note a refused signature")
                try nonEmpty(note ?? "", "note on the refusal")
            }
            if dor.acknowledgement != nil { throw fail(.alreadyAcknowledged, "DOR of \(dor.shiftDate) is already acknowledged") }
            try notInFuture(day, "date")
            return try record(.dailyObservationAcknowledged(DailyObservationAcknowledged(report: report, signed: signed, note: note)), on: day)

        case .fileRebuttal(let entry, let text, let day):
            let training = try inFieldTraining()
            guard actor.role == .trainee else { throw fail(.notAuthorized, "only the trainee files a rebuttal") }
            guard training.dors[entry] != nil else { throw fail(.unknownEntry, "has no DOR \(entry) to rebut") }
            try nonEmpty(text, "rebuttal")
            try notInFuture(day, "date")
            return try record(.traineeRebuttalFiled(TraineeRebuttalFiled(entry: entry, text: text)), on: day)

        case .signOffTask(let task, let fto, let callReference, let day):
            let training = try inFieldTraining()
            guard actor.role == .fto, actor.id == fto else { throw fail(.notAuthorized, "only the FTO who saw the task signs it off") }
            guard training.isAssigned(fto) else { throw fail(.ftoNotAssigned, "FTO \(fto) is not assigned to this trainee") }
            guard policy(on: day).fieldTraining.requiredTasks.contains(task) else {
                throw fail(.invalidInput, "\"\(task)\" is not on the training task checklist")
            }
            try notInFuture(day, "date")
            return try record(.trainingTaskSignedOff(TrainingTaskSignedOff(task: task, fto: fto, callReference: callReference)), on: day)

        case .assignRemedial(let category, let due, let plan, let day):
            try requireRole(administrators.union([.fto]), to: "assign remedial training")
            _ = try inFieldTraining()
            guard policy(on: day).fieldTraining.categories.contains(category) else {
                throw fail(.unknownCategory, "\(category.rawValue) is not an evaluation category in the policy")
            }
            try notInFuture(day, "assignment date")
            guard due >= day else { throw fail(.invalidInput, "due date \(due) is before the assignment (\(day))") }
            try nonEmpty(plan, "plan")
            return try record(.remedialTrainingAssigned(RemedialTrainingAssigned(category: category, due: due, plan: plan)), on: day)

        case .completeRemedial(let remedial, let notes, let day), .failRemedial(let remedial, let notes, let day):
            try requireRole(administrators.union([.fto]), to: "close remedial training")
            let training = try inFieldTraining()
            guard let item = training.remedial[remedial], item.status == .open else {
                throw fail(.remedialNotOpen, "has no open remedial training \(remedial)")
            }
            try notInFuture(day, "date")
            guard day >= item.assignedOn else { throw fail(.invalidInput, "closing date \(day) is before the assignment (\(item.assignedOn))") }
            if case .completeRemedial = command {
                return try record(.remedialTrainingCompleted(RemedialTrainingCompleted(remedial: remedial, notes: notes)), on: day)
            }
            try nonEmpty(notes, "notes")
            return try record(.remedialTrainingFailed(RemedialTrainingFailed(remedial: remedial, notes: notes)), on: day)

        case .extendPhase(let number, let weeks, let reason, let day):
            try requireRole([.trainingSergeant], to: "extend a phase")
            let training = try inFieldTraining()
            let phase = try currentPhase(training)
            guard number == phase.number else { throw fail(.wrongPhase, "is in phase \(phase.number), not phase \(number)") }
            guard (1...12).contains(weeks) else { throw fail(.invalidInput, "an extension must be 1 to 12 weeks, not \(weeks)") }
            try nonEmpty(reason, "reason")
            try notInFuture(day, "date")
            let limit = policy(on: day).fieldTraining.maximumExtensionsPerPhase
            guard phase.extensions < limit else {
                throw fail(.extensionLimit, "phase \(number) was already extended \(phase.extensions) times (policy allows \(limit))")
            }
            return try record(.phaseExtended(PhaseExtended(phase: number, weeks: weeks, reason: reason)), on: day)

        case .completePhase(let number, let day, let earlyReason):
            try requireRole([.trainingSergeant], to: "sign off a phase")
            let training = try inFieldTraining()
            let phase = try currentPhase(training)
            guard number == phase.number else { throw fail(.wrongPhase, "is in phase \(phase.number), not phase \(number)") }
            try notInFuture(day, "sign-off date")
            if let open = training.openRemedial.first {
                throw fail(
                    .remedialOpen,
                    "phase \(number) cannot be signed off: remedial training in \(open.category) is still open (assigned \(open.assignedOn)); complete or fail it first")
            }
            let rules = policy(on: day)
            let minimumWeeks = (rules.fieldTraining.phase(number)?.minimumWeeks ?? 0) + phase.extensionWeeks
            let earliest = phase.startedOn.adding(days: minimumWeeks * 7)
            if day < earliest && (earlyReason ?? "").allSatisfy(\.isWhitespace) {
                throw fail(
                    .phaseTooShort,
                    "phase \(number) cannot be signed off before \(earliest) (\(minimumWeeks) weeks from \(phase.startedOn)) unless the sergeant records why")
            }
            guard day >= phase.startedOn else { throw fail(.invalidInput, "sign-off date \(day) is before the phase started") }
            let final = number >= (rules.fieldTraining.phases.map(\.number).max() ?? number)
            return try record(.phaseCompleted(PhaseCompleted(phase: number, date: day, earlyCompletionReason: earlyReason, finalPhase: final)), on: day)

        case .attestCompetency(let fto, let statement, let day):
            let training = try inFieldTraining()
            guard actor.role == .fto, actor.id == fto else { throw fail(.notAuthorized, "only the FTO attests to competence") }
            guard training.isAssigned(fto) else { throw fail(.ftoNotAssigned, "FTO \(fto) never trained this trainee") }
            guard training.currentPhase == nil else {
                throw fail(.wrongPhase, "phase \(training.currentPhase!.number) is not signed off; attest after the final phase")
            }
            try nonEmpty(statement, "statement")
            try notInFuture(day, "date")
            return try record(.competencyAttested(CompetencyAttested(fto: fto, statement: statement)), on: day)

        case .clearSoloPatrol(let day, let statement, let concurredBy, let concurrerRole):
            try requireRole([.trainingSergeant], to: "clear a trainee for solo patrol")
            let training = try inFieldTraining()
            if let cleared = training.soloClearance { throw fail(.alreadyCleared, "was cleared for solo patrol on \(cleared.on)") }
            guard concurrerRole == .chief || concurrerRole == .chiefDesignee else {
                throw fail(.notAuthorized, "solo release needs the concurrence of the chief or a designee, not a \(concurrerRole)")
            }
            try nonEmpty(statement, "release statement")
            try notInFuture(day, "date")
            let failing = Readiness.evaluate(file, policy: policy(on: day), on: day).failingSoloGates
            guard failing.isEmpty else {
                throw fail(
                    .soloGatesFailing,
                    "cannot be cleared for solo patrol: " + failing.map { "\($0.name): \($0.detail)" }.joined(separator: "; "))
            }
            return try record(
                .soloPatrolCleared(SoloPatrolCleared(date: day, releaseStatement: statement, concurredBy: concurredBy, concurrerRole: concurrerRole)),
                on: day)

        case .startProbation(let start):
            try requireRole(administrators, to: "start probation")
            try hiredAndActive()
            if file.probation != nil { throw fail(.alreadyOnProbation, "probation already started on \(file.probation!.start)") }
            try notInFuture(start, "start date")
            let rules = policy(on: start).probation
            switch rules.startsAt {
            case .hire:
                guard start >= file.profile!.hireDate else { throw fail(.invalidInput, "probation cannot start before the hire date") }
            case .soloClearance:
                guard let cleared = file.fieldTraining?.soloClearance?.on else {
                    throw fail(.notCleared, "probation starts at release to solo patrol under this policy; clear solo patrol first")
                }
                guard start >= cleared else { throw fail(.invalidInput, "probation cannot start before solo clearance (\(cleared))") }
            }
            return try record(.probationStarted(ProbationStarted(start: start, end: start.adding(months: rules.months))), on: start)

        case .reviewProbation(let interval, let outcome, let notes, let day):
            try requireRole(administrators, to: "record probation reviews")
            try hiredAndActive()
            guard let probation = file.probation, probation.completedOn == nil else {
                throw fail(.probationNotStarted, "is not on probation")
            }
            guard interval > 0, interval % max(1, policy(on: day).probation.reviewIntervalMonths) == 0 else {
                throw fail(.invalidInput, "review interval \(interval) is not a multiple of \(policy(on: day).probation.reviewIntervalMonths) months")
            }
            try notInFuture(day, "review date")
            try nonEmpty(notes, "notes")
            return try record(.probationReviewed(ProbationReviewed(interval: interval, outcome: outcome, notes: notes)), on: day)

        case .extendProbation(let newEnd, let reason, let day):
            try requireRole(administrators, to: "extend probation")
            try hiredAndActive()
            guard let probation = file.probation, probation.completedOn == nil else {
                throw fail(.probationNotStarted, "is not on probation")
            }
            try notInFuture(day, "date")
            guard day <= probation.end, context.today <= probation.end else {
                throw fail(
                    .extensionTooLate,
                    "probation ended \(probation.end); an extension must be recorded before the end date (Trejo v. County of Los Angeles)")
            }
            guard newEnd > probation.end else { throw fail(.invalidInput, "new end \(newEnd) must be after the current end \(probation.end)") }
            try nonEmpty(reason, "reason")
            return try record(.probationExtended(ProbationExtended(newEnd: newEnd, reason: reason)), on: day)

        case .completeProbation(let day):
            try requireRole(administrators, to: "complete probation")
            try hiredAndActive()
            guard let probation = file.probation else { throw fail(.probationNotStarted, "is not on probation") }
            if let done = probation.completedOn { throw fail(.alreadyCompleted, "completed probation on \(done)") }
            try notInFuture(day, "date")
            guard day >= probation.end else {
                throw fail(.probationNotOver, "probation runs until \(probation.end); it cannot complete before its end date")
            }
            let missing = Readiness.probationGates(file, policy: policy(on: day), on: day).filter { !$0.passed }
            guard missing.isEmpty else { throw fail(.reviewsMissing, "cannot complete probation: " + missing.map(\.detail).joined(separator: "; ")) }
            return try record(.probationCompleted(ProbationCompleted(date: day)), on: day)

        case .recordCourse(let type, let title, let hours, let provider, let instructor, let completedOn, let certificate):
            try requireRole(administrators, to: "record course completions")
            try notSeparated()
            guard let course = policy(on: completedOn).course(type) else {
                throw fail(.unknownCourse, "\(type.rawValue) is not a course type in the policy")
            }
            try notInFuture(completedOn, "completion date")
            try nonEmpty(title, "title")
            try nonEmpty(provider, "provider")
            guard hours >= course.minimumHours else {
                throw fail(.invalidInput, "\(course.title) needs at least \(course.minimumHours) hours, not \(hours)")
            }
            if course.requiresInstructor && (instructor ?? "").allSatisfy(\.isWhitespace) {
                throw fail(.instructorRequired, "\(course.title) counts only with the qualified instructor who reviewed it; name the instructor")
            }
            return try record(
                .courseCompleted(
                    CourseCompleted(
                        courseType: type, title: title, hours: hours, provider: provider, instructor: instructor, completedOn: completedOn,
                        certificateReference: certificate)),
                on: completedOn)

        case .qualifyFTO(let courseDate):
            try requireRole(administrators, to: "record FTO qualifications")
            try notSeparated()
            try notInFuture(courseDate, "course date")
            return try record(.ftoQualified(FTOQualified(courseDate: courseDate)), on: courseDate)

        case .recordFTOUpdate(let date):
            try requireRole(administrators, to: "record FTO updates")
            try notSeparated()
            guard file.ftoQualification.qualifiedOn != nil else {
                throw fail(.ftoNotQualified, "has no FTO qualification to update; record the 40-hour course first")
            }
            try notInFuture(date, "date")
            return try record(.ftoUpdateCompleted(FTOUpdateCompleted(date: date)), on: date)

        case .prohibitFTO(let from, let until, let reason):
            try requireRole(administrators, to: "bar officers from training")
            try notSeparated()
            guard until > from else { throw fail(.invalidInput, "the bar must end after it starts") }
            try nonEmpty(reason, "reason")
            try notInFuture(from, "start date")
            return try record(.ftoTrainingProhibited(FTOTrainingProhibited(from: from, until: until, reason: reason)), on: from)

        case .separate(let kind, let reason, let day):
            try requireRole(administrators, to: "record separations")
            try hiredAndActive()
            try nonEmpty(reason, "reason")
            try notInFuture(day, "date")
            return try record(.separated(Separated(kind: kind, reason: reason, date: day)), on: day)

        case .correctEntry(let target, let reason, let replacement, let day):
            try amendable(target, reason: reason, day: day)
            let originalType = file.entry(target)?.type ?? ""
            guard replacement.type == originalType else {
                throw fail(.correctionNotAllowed, "a correction must keep the entry's kind (\(originalType)); retract it instead")
            }
            if case .dailyObservationReported(let report) = replacement {
                try validateRatings(report.ratings, narrative: report.narrative, policy: policy(on: report.shiftDate))
            }
            return try consistentAfter(record(.entryCorrected(EntryCorrected(entry: target, reason: reason, replacement: replacement)), on: day), day: day)

        case .retractEntry(let target, let reason, let day):
            try amendable(target, reason: reason, day: day)
            return try consistentAfter(record(.entryRetracted(EntryRetracted(entry: target, reason: reason)), on: day), day: day)
        }
    }

    /// A correction names an entry of this file that is still in effect, gives a reason, and
    /// comes from the author's role or a higher one.
    func amendable(_ target: EntryID, reason: String, day: Day) throws(DomainError) {
        guard let original = file.entry(target) else {
            throw fail(.unknownEntry, "has no entry \(target); a correction must name an entry of this record")
        }
        if case .retracted = original.status { throw fail(.correctionNotAllowed, "entry \(target) was retracted") }
        if original.type == EntryCorrected.type || original.type == EntryRetracted.type {
            throw fail(.correctionNotAllowed, "entry \(target) is itself a correction; correct the original entry")
        }
        guard actor.role.rank >= original.author.role.rank else {
            throw fail(
                .notAuthorized,
                "entry \(target) was recorded by a \(original.author.role); only that role or a higher one may correct it, not a \(actor.role)")
        }
        try nonEmpty(reason, "reason")
        try notInFuture(day, "date")
    }

    /// Accepts a rewrite of history only if the file stays consistent with it.
    func consistentAfter(_ entries: [Entry], day: Day) throws(DomainError) -> [Entry] {
        let rewritten = TrainingDecider.fold(entries, into: file)
        let problems = rewritten.consistencyProblems(policy: policy(on: day))
        guard problems.isEmpty else {
            throw fail(
                .correctionNotAllowed,
                "this change would leave the record inconsistent (\(problems.joined(separator: "; "))); correct or retract the later entries first")
        }
        return entries
    }

    func validateRatings(_ ratings: [Category: Rating], narrative: String, policy: TrainingPolicy) throws(DomainError) {
        let rules = policy.fieldTraining
        guard !ratings.isEmpty else { throw fail(.invalidInput, "a DOR needs at least one rating") }
        var needsNarrative: [String] = []
        for (category, rating) in ratings.sorted(by: { $0.key < $1.key }) {
            guard rules.categories.contains(category) else {
                throw fail(.unknownCategory, "\(category.rawValue) is not an evaluation category in the policy")
            }
            switch rating {
            case .score(let value):
                guard (1...7).contains(value) else {
                    throw fail(.ratingOutOfRange, "rating for \(category) is \(value); ratings run 1–7, or N/O, or NRT")
                }
                if value < rules.narrativeRequiredBelow || value > rules.narrativeRequiredAbove { needsNarrative.append("\(category) \(value)") }
            case .notRespondingToTraining:
                needsNarrative.append("\(category) NRT")
            case .notObserved:
                break
            }
        }
        if !needsNarrative.isEmpty && narrative.allSatisfy(\.isWhitespace) {
            throw fail(
                .narrativeRequired,
                "ratings below \(rules.narrativeRequiredBelow) or above \(rules.narrativeRequiredAbove) need a narrative (\(needsNarrative.joined(separator: ", ")))")
        }
    }
}
