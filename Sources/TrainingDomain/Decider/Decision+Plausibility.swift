// Plausibility checks: input that is possible but unlikely to be true is refused with the
// check named, or, where the agency's policy allows overriding that check, accepted with the
// reason recorded beside the entry (one `PlausibilityOverridden` per check, same command).

extension Decision {
    /// Passes when `holds`; otherwise refuses with `text`, unless policy lets `check` be
    /// overridden and the command carries a reason: then returns the check, to be recorded
    /// beside the entry (see ``record(_:on:overriding:)``).
    func plausible(_ check: PlausibilityCheck, _ holds: Bool, on day: Day, _ text: @autoclosure () -> String) throws(DomainError)
        -> PlausibilityCheck?
    {
        if holds { return nil }
        let reason = context.overrideReason ?? ""
        guard policy(on: day).plausibility.allowsOverride(check) else {
            throw DomainError(.implausible, "\(subject): \(text()) (check \(check); policy allows no override of it)", check: check)
        }
        guard !reason.allSatisfy(\.isWhitespace) else {
            throw DomainError(
                .implausible, "\(subject): \(text()) (check \(check)); if it is right, record it again with an override reason", check: check)
        }
        return check
    }

    /// Records `event`, and beside it each overridden check with the command's reason.
    func record(_ event: TrainingEvent, on day: Day, overriding checks: [PlausibilityCheck?]) throws(DomainError) -> [Entry] {
        let overridden = checks.compactMap { $0 }
        guard !overridden.isEmpty, let id = context.newEntryIDs.first else { return try record(event, on: day) }
        let reason = context.overrideReason ?? ""
        let notes = overridden.map { (TrainingEvent.plausibilityOverridden(PlausibilityOverridden(entry: id, check: $0, reason: reason)), day) }
        return try Recorder(context: context).entries([(event, day)] + notes)
    }

    /// Every category of the policy rated or marked N/O, when the policy asks for it.
    func everyCategoryRated(_ ratings: [Category: Rating], on day: Day) throws(DomainError) -> PlausibilityCheck? {
        let rules = policy(on: day).fieldTraining
        guard rules.everyCategoryRated else { return nil }
        let blank = rules.categories.filter { ratings[$0] == nil }
        return try plausible(
            .categoriesUnrated, blank.isEmpty, on: day,
            "\(blank.count) of \(rules.categories.count) categories are neither rated nor marked N/O (\(blank.map(\.rawValue).joined(separator: ", ")))"
        )
    }
}
