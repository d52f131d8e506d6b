// Hiring and separation.

extension Decision {
    func hire(_ trainee: TraineeID, name: String, badge: String, on hireDate: Day, agency: AgencyID) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "hire recruits")
        if let profile = file.profile { throw fail(.alreadyHired, "is already on file (hired \(profile.hireDate))") }
        try nonEmpty(name, "name")
        try nonEmpty(badge, "badge")
        try notInFuture(hireDate, "hire date")
        let founded = policy(on: hireDate).plausibility.agencyFoundedOn
        let early = try plausible(
            .hireBeforeAgency, founded.map { hireDate >= $0 } ?? true, on: hireDate,
            "hire date \(hireDate) is before the agency was founded (\(founded.map { "\($0)" } ?? ""))")
        let holder = context.badgeHolders[badge].flatMap { $0 == trainee ? nil : $0 }
        if let holder {
            // Badge numbers identify officers: never overridable (the database refuses it too).
            throw DomainError(
                .implausible, "\(subject): badge \(badge) is already held by \(holder) (check \(PlausibilityCheck.duplicateBadge))",
                check: .duplicateBadge)
        }
        return try record(
            .recruitHired(RecruitHired(trainee: trainee, name: name, badge: badge, hireDate: hireDate, agency: agency)), on: hireDate,
            overriding: [early])
    }

    func separate(_ kind: SeparationKind, reason: String, on day: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "record separations")
        try hiredAndActive()
        try nonEmpty(reason, "reason")
        try notInFuture(day, "date")
        return try record(.separated(Separated(kind: kind, reason: reason, date: day)), on: day)
    }
}
