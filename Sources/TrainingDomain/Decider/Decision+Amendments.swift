// Corrections and retractions: the original stays on record; the amendment names it.

extension Decision {
    func correct(_ target: EntryID, reason: String, replacement: TrainingEvent, on day: Day) throws(DomainError) -> [Entry] {
        let original = try amendable(target, reason: reason, day: day)
        guard replacement.type == original.type else {
            throw fail(.correctionNotAllowed, "a correction must keep the entry's kind (\(original.type)); retract it instead")
        }
        if case .dailyObservationReported(let report) = replacement {
            try validateRatings(report.ratings, narrative: report.narrative, policy: policy(on: report.shiftDate))
        }
        return try consistentAfter(
            record(.entryCorrected(EntryCorrected(entry: target, reason: reason, replacement: replacement)), on: day), day: day)
    }

    func retract(_ target: EntryID, reason: String, on day: Day) throws(DomainError) -> [Entry] {
        try amendable(target, reason: reason, day: day)
        return try consistentAfter(record(.entryRetracted(EntryRetracted(entry: target, reason: reason)), on: day), day: day)
    }

    /// A correction names an entry of this file that is still in effect, gives a reason, and
    /// comes from the author's role or a higher one.
    @discardableResult
    func amendable(_ target: EntryID, reason: String, day: Day) throws(DomainError) -> EntryRecord {
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
        return original
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
}

extension Decision {
    /// A system administrator decides on an unreadable entry: set it aside (only an entry that
    /// still cannot be read), or record that today's code reads it again.
    func resolveUnreadable(
        _ target: EntryID, resolution: UnreadableEntryResolved.Resolution, reason: String, on day: Day
    ) throws(DomainError) -> [Entry] {
        try requireRole([.systemAdministrator], to: "decide on unreadable entries")
        try nonEmpty(reason, "reason")
        try notInFuture(day, "date")
        switch resolution {
        case .setAside:
            guard file.unreadable[target] != nil else {
                throw fail(.unknownEntry, "has no unreadable entry \(target); only an entry that cannot be read is set aside")
            }
        case .reread:
            guard file.unreadable[target] == nil else {
                throw fail(.unreadableEntry, "entry \(target) still cannot be read: \(file.unreadable[target]!.reason); set it aside instead")
            }
            guard file.entry(target) != nil else { throw fail(.unknownEntry, "has no entry \(target)") }
        }
        return try record(.unreadableEntryResolved(UnreadableEntryResolved(entry: target, resolution: resolution, reason: reason)), on: day)
    }
}
