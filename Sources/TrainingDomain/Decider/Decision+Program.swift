// The program's own records (POST FTP Guide): orientation, the trainee's acknowledgement of
// checklist tasks, End of Phase Reports and Phase Evaluation Reports.

extension Decision {
    func recordOrientation(from: Day, to: Day, topics: [String]) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "record agency orientation")
        let training = try inFieldTraining()
        if let orientation = training.orientation {
            throw fail(.alreadyCompleted, "orientation was recorded already (\(orientation.from) to \(orientation.to)); correct that entry instead")
        }
        try notInFuture(to, "orientation end")
        guard from <= to else { throw fail(.invalidInput, "orientation end \(to) is before its start \(from)") }
        guard from >= training.startedOn else {
            throw fail(.invalidInput, "orientation start \(from) is before field training started (\(training.startedOn))")
        }
        let weeks = policy(on: to).fieldTraining.orientationWeeks
        // A week of orientation is five working days: Monday to Friday counts.
        let days = from.distance(to: to) + 1
        guard days >= weeks * 7 - 2 else {
            throw fail(.invalidInput, "orientation of \(days) days is shorter than the \(weeks) week(s) policy requires")
        }
        return try record(.orientationCompleted(OrientationCompleted(from: from, to: to, topics: topics)), on: to)
    }

    func acknowledgeTask(_ task: String, on day: Day) throws(DomainError) -> [Entry] {
        let training = try inFieldTraining()
        guard actor.role == .trainee, actor.id.rawValue == file.profile?.trainee.rawValue else {
            throw fail(.notAuthorized, "only the trainee acknowledges their own checklist")
        }
        guard let signature = training.tasks[task] else {
            throw fail(.taskNotSigned, "\(task) has not been signed off by an FTO; the FTO signs it first")
        }
        if let on = training.taskAcknowledgements[task], on >= signature.on {
            throw fail(.alreadyAcknowledged, "\(task) was acknowledged on \(on)")
        }
        try notInFuture(day, "date")
        guard day >= signature.on else { throw fail(.invalidInput, "acknowledgement \(day) is before the sign-off (\(signature.on))") }
        return try record(.trainingTaskAcknowledged(TrainingTaskAcknowledged(task: task)), on: day)
    }

    /// The phase's FTO files the End of Phase Report while the phase is open.
    func reportEndOfPhase(_ number: Int, fto: OfficerID, report: PhaseReportContent, on day: Day) throws(DomainError) -> [Entry] {
        let training = try inFieldTraining()
        guard actor.role == .fto, actor.id == fto else { throw fail(.notAuthorized, "only the phase's FTO files the End of Phase Report") }
        let phase = try currentPhase(training)
        guard number == phase.number else { throw fail(.wrongPhase, "is in phase \(phase.number), not phase \(number)") }
        guard phase.ftos.contains(fto) else { throw fail(.ftoNotAssigned, "FTO \(fto) is not assigned to phase \(number)") }
        try notInFuture(day, "date")
        guard day >= phase.startedOn else { throw fail(.invalidInput, "date \(day) is before phase \(number) started (\(phase.startedOn))") }
        try qualified(fto, on: day)
        let unrated = try validatePhaseReport(report, on: day)
        if phase.endOfPhaseReports.contains(where: { $0.author == fto }) {
            throw fail(.alreadyCompleted, "FTO \(fto) already filed the End of Phase Report for phase \(number); correct it instead")
        }
        return try record(
            .endOfPhaseReported(
                EndOfPhaseReported(
                    phase: number, fto: fto, ratings: report.ratings, strengths: report.strengths, needsImprovement: report.needsImprovement,
                    recommendation: report.recommendation, narrative: report.narrative)),
            on: day, overriding: [unrated])
    }

    /// The Phase Evaluation Report: by the training sergeant, or a qualified FTO who did not
    /// train the trainee in that phase (the evaluator is not the trainer).
    func evaluatePhase(_ number: Int, evaluator: OfficerID, report: PhaseReportContent, on day: Day) throws(DomainError) -> [Entry] {
        let training = try inFieldTraining()
        guard actor.id == evaluator, actor.role == .fto || actor.role == .trainingSergeant else {
            throw fail(.notAuthorized, "\(actor.id) acting as \(actor.role) may not evaluate a phase as \(evaluator); the evaluator records it")
        }
        let phase = try currentPhase(training)
        guard number == phase.number else { throw fail(.wrongPhase, "is in phase \(phase.number), not phase \(number)") }
        if actor.role == .fto {
            guard !phase.ftos.contains(evaluator) else {
                throw fail(.notAuthorized, "FTO \(evaluator) trains this phase and cannot also evaluate it; another FTO or the sergeant does")
            }
            try qualified(evaluator, on: day)
        }
        try notInFuture(day, "date")
        guard day >= phase.startedOn else { throw fail(.invalidInput, "date \(day) is before phase \(number) started (\(phase.startedOn))") }
        let unrated = try validatePhaseReport(report, on: day)
        return try record(
            .phaseEvaluated(
                PhaseEvaluated(
                    phase: number, evaluator: evaluator, ratings: report.ratings, recommendation: report.recommendation,
                    narrative: report.narrative)),
            on: day, overriding: [unrated])
    }

    private func validatePhaseReport(_ report: PhaseReportContent, on day: Day) throws(DomainError) -> PlausibilityCheck? {
        let rules = policy(on: day)
        try validateRatings(report.ratings, narrative: report.narrative, policy: rules)
        try nonEmpty(report.narrative, "narrative")
        for category in report.strengths + report.needsImprovement where !rules.fieldTraining.categories.contains(category) {
            throw fail(.unknownCategory, "\(category.rawValue) is not an evaluation category in the policy")
        }
        return try everyCategoryRated(report.ratings, on: day)
    }
}
