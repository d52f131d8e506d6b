// Hiring and separation.

extension Decision {
    func hire(_ trainee: TraineeID, name: String, badge: String, on hireDate: Day, agency: AgencyID) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "hire recruits")
        if let profile = file.profile { throw fail(.alreadyHired, "is already on file (hired \(profile.hireDate))") }
        try nonEmpty(name, "name")
        try nonEmpty(badge, "badge")
        try notInFuture(hireDate, "hire date")
        return try record(.recruitHired(RecruitHired(trainee: trainee, name: name, badge: badge, hireDate: hireDate, agency: agency)), on: hireDate)
    }

    func separate(_ kind: SeparationKind, reason: String, on day: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "record separations")
        try hiredAndActive()
        try nonEmpty(reason, "reason")
        try notInFuture(day, "date")
        return try record(.separated(Separated(kind: kind, reason: reason, date: day)), on: day)
    }
}
