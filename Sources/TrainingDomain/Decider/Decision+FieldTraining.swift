// Field training: phases, FTO assignments, daily observation reports and their signatures,
// the task checklist, remedial training, the FTO's attestation and the release to solo patrol.

extension Decision {
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
        if let reason = record.disqualification(on: day, policy: policy(on: day)) {
            throw fail(.ftoNotQualified, "FTO \(fto) \(reason) on \(day)")
        }
    }

    func startFieldTraining(on day: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "start field training")
        try hiredAndActive()
        guard let graduated = file.academy?.graduatedOn else {
            throw fail(.notGraduated, "cannot start field training before academy graduation; record the graduation first")
        }
        if let training = file.fieldTraining { throw fail(.alreadyInFieldTraining, "field training already started on \(training.startedOn)") }
        try notInFuture(day, "start date")
        guard day >= graduated else { throw fail(.invalidInput, "start date \(day) is before graduation (\(graduated))") }
        return try record(.fieldTrainingStarted(FieldTrainingStarted(date: day)), on: day)
    }

    func assign(_ fto: OfficerID, phase: Int, on day: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "assign FTOs")
        let training = try inFieldTraining()
        let current = try currentPhase(training)
        guard phase == current.number else {
            throw fail(.wrongPhase, "is in phase \(current.number), not phase \(phase); assign FTOs to the current phase")
        }
        try notInFuture(day, "assignment date")
        try qualified(fto, on: day)
        return try record(.ftoAssigned(FTOAssigned(fto: fto, phase: phase)), on: day)
    }

    func weeklyReport(weekEnding: Day, report: WeeklyReportContent) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "file supervisor's weekly reports")
        let training = try inFieldTraining()
        try notInFuture(weekEnding, "week ending")
        try nonEmpty(report.summary, "summary")
        let categories = policy(on: weekEnding).fieldTraining.categories
        for category in report.strengths + report.needsImprovement where !categories.contains(category) {
            throw fail(.unknownCategory, "\(category.rawValue) is not an evaluation category in the policy")
        }
        if !report.needsImprovement.isEmpty { try nonEmpty(report.plan, "plan (for the categories that need improvement)") }
        let phase = training.phases.last { $0.startedOn <= weekEnding }
        return try record(
            .supervisorWeeklyReported(
                SupervisorWeeklyReported(
                    weekEnding: weekEnding, summary: report.summary, phase: phase?.number, strengths: report.strengths,
                    needsImprovement: report.needsImprovement, plan: report.plan, ftos: phase?.ftos ?? [])),
            on: weekEnding)
    }

    func fileDOR(fto: OfficerID, shiftDate: Day, ratings: [Category: Rating], narrative: String) throws(DomainError) -> [Entry] {
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
        let unrated = try everyCategoryRated(ratings, on: shiftDate)
        return try record(
            .dailyObservationReported(
                DailyObservationReported(fto: fto, shiftDate: shiftDate, phase: phase.number, ratings: ratings, narrative: narrative)),
            on: shiftDate, overriding: [unrated])
    }

    func acknowledge(_ report: EntryID, signed: Bool, note: String?, on day: Day) throws(DomainError) -> [Entry] {
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
    }

    func rebut(_ entry: EntryID, text: String, on day: Day) throws(DomainError) -> [Entry] {
        let training = try inFieldTraining()
        guard actor.role == .trainee, actor.id.rawValue == file.profile?.trainee.rawValue else {
            throw fail(.notAuthorized, "only the trainee files a rebuttal")
        }
        guard training.dors[entry] != nil else { throw fail(.unknownEntry, "has no DOR \(entry) to rebut") }
        try nonEmpty(text, "rebuttal")
        try notInFuture(day, "date")
        return try record(.traineeRebuttalFiled(TraineeRebuttalFiled(entry: entry, text: text)), on: day)
    }

    func signOff(task: String, fto: OfficerID, callReference: String?, on day: Day) throws(DomainError) -> [Entry] {
        let training = try inFieldTraining()
        guard actor.role == .fto, actor.id == fto else { throw fail(.notAuthorized, "only the FTO who saw the task signs it off") }
        guard training.isAssigned(fto) else { throw fail(.ftoNotAssigned, "FTO \(fto) is not assigned to this trainee") }
        guard policy(on: day).fieldTraining.task(task) != nil else {
            throw fail(.unknownTask, "\"\(task)\" is not on the competency checklist; `muster policy show` lists its tasks")
        }
        try notInFuture(day, "date")
        try qualified(fto, on: day)
        let again = try plausible(
            .taskSignedTwice, training.tasks[task] == nil, on: day,
            "\(task) was already signed off by \(training.tasks[task]?.fto.rawValue ?? "") on \(training.tasks[task].map { "\($0.on)" } ?? "")")
        return try record(
            .trainingTaskSignedOff(TrainingTaskSignedOff(task: task, fto: fto, callReference: callReference)), on: day, overriding: [again])
    }

    func assignRemedial(_ category: Category, due: Day, plan: String, on day: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators.union([.fto]), to: "assign remedial training")
        _ = try inFieldTraining()
        guard policy(on: day).fieldTraining.categories.contains(category) else {
            throw fail(.unknownCategory, "\(category.rawValue) is not an evaluation category in the policy")
        }
        try notInFuture(day, "assignment date")
        guard due >= day else { throw fail(.invalidInput, "due date \(due) is before the assignment (\(day))") }
        try nonEmpty(plan, "plan")
        return try record(.remedialTrainingAssigned(RemedialTrainingAssigned(category: category, due: due, plan: plan)), on: day)
    }

    func closeRemedial(_ remedial: EntryID, completed: Bool, notes: String, on day: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators.union([.fto]), to: "close remedial training")
        let training = try inFieldTraining()
        guard let item = training.remedial[remedial], item.status == .open else {
            throw fail(.remedialNotOpen, "has no open remedial training \(remedial)")
        }
        try notInFuture(day, "date")
        guard day >= item.assignedOn else { throw fail(.invalidInput, "closing date \(day) is before the assignment (\(item.assignedOn))") }
        if completed {
            return try record(.remedialTrainingCompleted(RemedialTrainingCompleted(remedial: remedial, notes: notes)), on: day)
        }
        try nonEmpty(notes, "notes")
        return try record(.remedialTrainingFailed(RemedialTrainingFailed(remedial: remedial, notes: notes)), on: day)
    }

    func extendPhase(_ number: Int, weeks: Int, reason: String, on day: Day) throws(DomainError) -> [Entry] {
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
    }

    func completePhase(_ number: Int, on day: Day, earlyReason: String?) throws(DomainError) -> [Entry] {
        try requireRole([.trainingSergeant], to: "sign off a phase")
        let training = try inFieldTraining()
        let phase = try currentPhase(training)
        guard number == phase.number else { throw fail(.wrongPhase, "is in phase \(phase.number), not phase \(number)") }
        try notInFuture(day, "sign-off date")
        if let open = training.openRemedial.first {
            throw fail(
                .remedialOpen,
                "phase \(number) cannot be signed off: remedial training in \(open.category) is still open (assigned \(open.assignedOn)); complete or fail it first"
            )
        }
        let rules = policy(on: day)
        if rules.fieldTraining.phaseEvaluationRequired {
            guard let evaluation = phase.evaluation else {
                throw fail(.evaluationMissing, "phase \(number) has no phase evaluation; the evaluator records it before the sign-off")
            }
            guard evaluation.recommendation == .advance else {
                throw fail(
                    .evaluationMissing,
                    "phase \(number)'s evaluation of \(evaluation.on) recommends \(evaluation.recommendation), not advancing; extend the phase or record a new evaluation"
                )
            }
        }
        let minimumWeeks = (rules.fieldTraining.phase(number)?.minimumWeeks ?? 0) + phase.extensionWeeks
        let earliest = phase.startedOn.adding(days: minimumWeeks * 7)
        if day < earliest && (earlyReason ?? "").allSatisfy(\.isWhitespace) {
            throw fail(
                .phaseTooShort,
                "phase \(number) cannot be signed off before \(earliest) (\(minimumWeeks) weeks from \(phase.startedOn)) unless the sergeant records why"
            )
        }
        guard day >= phase.startedOn else { throw fail(.invalidInput, "sign-off date \(day) is before the phase started") }
        let final = number >= (rules.fieldTraining.phases.map(\.number).max() ?? number)
        return try record(.phaseCompleted(PhaseCompleted(phase: number, date: day, earlyCompletionReason: earlyReason, finalPhase: final)), on: day)
    }

    func attest(fto: OfficerID, statement: String, on day: Day) throws(DomainError) -> [Entry] {
        let training = try inFieldTraining()
        guard actor.role == .fto, actor.id == fto else { throw fail(.notAuthorized, "only the FTO attests to competence") }
        guard training.isAssigned(fto) else { throw fail(.ftoNotAssigned, "FTO \(fto) never trained this trainee") }
        if let phase = training.currentPhase {
            throw fail(.wrongPhase, "phase \(phase.number) is not signed off; attest after the final phase")
        }
        try nonEmpty(statement, "statement")
        try notInFuture(day, "date")
        try qualified(fto, on: day)
        return try record(.competencyAttested(CompetencyAttested(fto: fto, statement: statement)), on: day)
    }

    /// The sergeant asks for the release once every gate holds; the chief concurs or declines.
    func requestRelease(on day: Day, statement: String) throws(DomainError) -> [Entry] {
        try requireRole([.trainingSergeant], to: "request a release to solo patrol")
        let training = try inFieldTraining()
        if let cleared = training.soloClearance { throw fail(.alreadyCleared, "was cleared for solo patrol on \(cleared.on)") }
        if let pending = training.pendingRelease {
            throw fail(.invalidInput, "a release requested on \(pending.on) awaits the chief's concurrence; the chief concurs or declines it first")
        }
        try nonEmpty(statement, "release statement")
        try notInFuture(day, "date")
        try soloGatesPass(on: day)
        return try record(.soloReleaseRequested(SoloReleaseRequested(date: day, releaseStatement: statement)), on: day)
    }

    /// The chief's (or a designee's) own act: the release is recorded, with their concurrence.
    func concurInRelease(on day: Day) throws(DomainError) -> [Entry] {
        try requireRole([.chief, .chiefDesignee], to: "concur in a release to solo patrol")
        let training = try inFieldTraining()
        if let cleared = training.soloClearance { throw fail(.alreadyCleared, "was cleared for solo patrol on \(cleared.on)") }
        guard let pending = training.pendingRelease else {
            throw fail(.releaseNotRequested, "no release to solo patrol has been requested; the training sergeant requests it first")
        }
        if pending.requestedBy == actor.id {
            throw fail(.ownRecord, "\(actor.id) requested this release and cannot also concur in it")
        }
        try notInFuture(day, "date")
        guard day >= pending.on else { throw fail(.invalidInput, "the concurrence (\(day)) cannot come before the request (\(pending.on))") }
        try soloGatesPass(on: day)
        return try record(
            .soloPatrolCleared(SoloPatrolCleared(date: day, releaseStatement: pending.statement, concurredBy: actor.id, concurrerRole: actor.role)),
            on: day)
    }

    func declineRelease(reason: String, on day: Day) throws(DomainError) -> [Entry] {
        try requireRole([.chief, .chiefDesignee], to: "decline a release to solo patrol")
        let training = try inFieldTraining()
        guard training.pendingRelease != nil else {
            throw fail(.releaseNotRequested, "no release to solo patrol awaits a decision")
        }
        try nonEmpty(reason, "reason")
        try notInFuture(day, "date")
        return try record(.soloReleaseDeclined(SoloReleaseDeclined(reason: reason)), on: day)
    }

    func soloGatesPass(on day: Day) throws(DomainError) {
        let failing = Readiness.evaluate(file, policy: policy(on: day), on: day).failingSoloGates
        guard failing.isEmpty else {
            throw fail(.soloGatesFailing, "cannot be cleared for solo patrol: " + failing.map(\.summary).joined(separator: "; "))
        }
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
                guard rules.ratingScale.contains(value) else {
                    throw fail(
                        .ratingOutOfRange, "rating for \(category) is \(value); ratings run \(rules.ratingScale.rangeText), or N/O, or NRT")
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
                "ratings below \(rules.narrativeRequiredBelow) or above \(rules.narrativeRequiredAbove) need a narrative (\(needsNarrative.joined(separator: ", ")))"
            )
        }
    }
}
