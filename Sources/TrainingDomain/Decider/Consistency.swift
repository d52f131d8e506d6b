extension PersonnelFile {
    /// What is wrong with this file as a whole, judged under `policy` (empty when consistent).
    ///
    /// `decide` keeps every file consistent command by command; corrections and retractions
    /// rewrite history, so they are accepted only when the file re-folded with them still
    /// passes this check (retracting a hire that an enrollment depends on is refused).
    public func consistencyProblems(policy: TrainingPolicy) -> [String] {
        var problems: [String] = []
        if academy != nil && profile == nil { problems.append("an academy enrollment depends on the hire") }
        if separation != nil && profile == nil { problems.append("the separation depends on the hire") }
        if let training = fieldTraining {
            if academy?.graduatedOn == nil { problems.append("field training depends on the academy graduation") }
            if training.phases.filter({ $0.completedOn == nil }).count > 1 { problems.append("more than one phase is open") }
            if training.phases.map(\.number) != Array(1...max(1, training.phases.count)) { problems.append("phases are out of order") }
            for report in training.dors.values.sorted(by: { $0.shiftDate < $1.shiftDate }) {
                if !(training.phase(report.phase)?.ftos.contains(report.fto) ?? false) {
                    problems.append("the DOR of \(report.shiftDate) depends on FTO \(report.fto)'s assignment")
                }
                for rating in report.ratings.values {
                    if case .score(let value) = rating, !policy.fieldTraining.ratingScale.contains(value) {
                        problems.append("a rating of \(value) is out of range")
                    }
                }
            }
            if policy.fieldTraining.phaseEvaluationRequired {
                for phase in training.phases where phase.completedOn != nil && phase.evaluation == nil {
                    problems.append("phase \(phase.number)'s sign-off depends on its phase evaluation")
                }
            }
            for task in training.taskAcknowledgements.keys.sorted() where training.tasks[task] == nil {
                problems.append("the acknowledgement of \(task) depends on its sign-off")
            }
            for item in training.remedial.values where item.status != .open && item.closedOn == nil {
                problems.append("closed remedial training without a date")
            }
            if let cleared = training.soloClearance {
                if training.currentPhase != nil { problems.append("solo clearance depends on every phase being signed off") }
                if training.attestation == nil { problems.append("solo clearance depends on the FTO attestation") }
                if cleared.role != .chief && cleared.role != .chiefDesignee { problems.append("solo clearance lacks the chief's concurrence") }
            }
        }
        if let probation {
            if let done = probation.completedOn, done < probation.end { problems.append("probation completed before its end date") }
            for change in probation.extensions where change.recordedOn > change.previousEnd {
                problems.append("a probation extension was recorded after the end date")
            }
            if policy.probation.startsAt == .soloClearance && fieldTraining?.soloClearance == nil && profile != nil {
                problems.append("probation depends on the solo clearance")
            }
        }
        if let academy {
            for (test, attempts) in academy.attempts where attempts.count > policy.academy.retestsAllowed + 1 {
                problems.append("too many attempts at \(test)")
            }
        }
        return problems
    }
}
