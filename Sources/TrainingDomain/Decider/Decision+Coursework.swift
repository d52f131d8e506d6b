// Required coursework and FTO qualification, on anyone's file (trainees and officers).

extension Decision {
    func recordCourse(
        _ type: CourseType, title: String, hours: Double, provider: String, instructor: String?, on completedOn: Day, certificate: String?
    ) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "record course completions")
        try notSeparated()
        guard let course = policy(on: completedOn).course(type) else {
            throw fail(.unknownCourse, "\(type.rawValue) is not a course type in the policy")
        }
        try notInFuture(completedOn, "completion date")
        try nonEmpty(title, "title")
        try nonEmpty(provider, "provider")
        guard hours.isFinite, hours >= course.minimumHours else {
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
    }

    func qualifyFTO(courseDate: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "record FTO qualifications")
        try notSeparated()
        try notInFuture(courseDate, "course date")
        return try record(.ftoQualified(FTOQualified(courseDate: courseDate)), on: courseDate)
    }

    func recordFTOUpdate(on date: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "record FTO updates")
        try notSeparated()
        guard file.ftoQualification.qualifiedOn != nil else {
            throw fail(.ftoNotQualified, "has no FTO qualification to update; record the 40-hour course first")
        }
        try notInFuture(date, "date")
        return try record(.ftoUpdateCompleted(FTOUpdateCompleted(date: date)), on: date)
    }

    func prohibitFTO(from: Day, until: Day, reason: String) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "bar officers from training")
        try notSeparated()
        guard until > from else { throw fail(.invalidInput, "the bar must end after it starts") }
        try nonEmpty(reason, "reason")
        try notInFuture(from, "start date")
        return try record(.ftoTrainingProhibited(FTOTrainingProhibited(from: from, until: until, reason: reason)), on: from)
    }

    func awardBasicCertificate(_ certificate: String, on day: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "record POST certificates")
        try notSeparated()
        try nonEmpty(certificate, "certificate number")
        try notInFuture(day, "award date")
        if let held = file.ftoQualification.basicCertificate {
            throw fail(.alreadyCompleted, "holds Basic Certificate \(held.number) since \(held.on)")
        }
        return try record(.basicCertificateAwarded(BasicCertificateAwarded(certificate: certificate, date: day)), on: day)
    }

    func startPatrolAssignment(on day: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "record patrol assignments")
        try notSeparated()
        try notInFuture(day, "start date")
        if let since = file.ftoQualification.patrolSince, since <= day {
            throw fail(.alreadyCompleted, "has been on uniformed patrol since \(since)")
        }
        return try record(.patrolAssignmentStarted(PatrolAssignmentStarted(date: day)), on: day)
    }
}
