// Probation: start, interval reviews, extensions (before the end date), completion.

extension Decision {
    func openProbation() throws(DomainError) -> ProbationRecord {
        try hiredAndActive()
        guard let probation = file.probation, probation.completedOn == nil else {
            throw fail(.probationNotStarted, "is not on probation")
        }
        return probation
    }

    func startProbation(_ start: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "start probation")
        let profile = try hiredAndActive()
        if let probation = file.probation { throw fail(.alreadyOnProbation, "probation already started on \(probation.start)") }
        try notInFuture(start, "start date")
        let rules = policy(on: start).probation
        switch rules.startsAt {
        case .hire:
            guard start >= profile.hireDate else { throw fail(.invalidInput, "probation cannot start before the hire date") }
        case .soloClearance:
            guard let cleared = file.fieldTraining?.soloClearance?.on else {
                throw fail(.notCleared, "probation starts at release to solo patrol under this policy; clear solo patrol first")
            }
            guard start >= cleared else { throw fail(.invalidInput, "probation cannot start before solo clearance (\(cleared))") }
        }
        return try record(.probationStarted(ProbationStarted(start: start, end: start.adding(months: rules.months))), on: start)
    }

    func reviewProbation(interval: Int, outcome: ReviewOutcome, notes: String, on day: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "record probation reviews")
        _ = try openProbation()
        let step = policy(on: day).probation.reviewIntervalMonths
        guard interval > 0, interval % max(1, step) == 0 else {
            throw fail(.invalidInput, "review interval \(interval) is not a multiple of \(step) months")
        }
        try notInFuture(day, "review date")
        try nonEmpty(notes, "notes")
        let earlier = file.probation?.reviews.first { $0.interval == interval }
        let again = try plausible(
            .duplicateReview, earlier == nil, on: day,
            "the \(interval)-month review was already recorded on \(earlier.map { "\($0.on)" } ?? "")")
        return try record(
            .probationReviewed(ProbationReviewed(interval: interval, outcome: outcome, notes: notes)), on: day, overriding: [again])
    }

    func extendProbation(to newEnd: Day, reason: String, on day: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "extend probation")
        let probation = try openProbation()
        try notInFuture(day, "date")
        // Signed before the deadline: today, or on the paper it is transcribed from.
        let signed = context.document?.signedOn ?? context.today
        guard day <= probation.end, signed <= probation.end else {
            throw fail(
                .extensionTooLate,
                "probation ended \(probation.end); an extension must be signed before the end date (Trejo v. County of Los Angeles)"
                    + (context.document == nil ? "; one signed on paper before then is recorded from that document" : ""))
        }
        if let document = context.document, day != document.signedOn {
            throw fail(.invalidInput, "the extension's date \(day) must be the day the paper was signed (\(document.signedOn))")
        }
        guard newEnd > probation.end else { throw fail(.invalidInput, "new end \(newEnd) must be after the current end \(probation.end)") }
        try nonEmpty(reason, "reason")
        let rules = policy(on: day).probation
        let limit = rules.maximumMonths.map { probation.start.adding(months: $0) }
        let beyond = try plausible(
            .probationBeyondMaximum, limit.map { newEnd <= $0 } ?? true, on: day,
            "new end \(newEnd) is past the longest probation policy allows (\(rules.maximumMonths ?? 0) months, to \(limit.map { "\($0)" } ?? ""))")
        return try record(.probationExtended(ProbationExtended(newEnd: newEnd, reason: reason)), on: day, overriding: [beyond])
    }

    func completeProbation(on day: Day) throws(DomainError) -> [Entry] {
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
    }
}
