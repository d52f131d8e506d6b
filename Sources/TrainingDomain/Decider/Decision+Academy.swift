// The academy: enrollment, learning-domain tests and retests, graduation, recycling.

extension Decision {
    func enroll(classNumber: String, academy: String, start: Day, source: String?) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "enroll recruits")
        let profile = try hiredAndActive()
        if let current = file.academy {
            if let graduated = current.graduatedOn { throw fail(.alreadyGraduated, "graduated from the academy on \(graduated)") }
            if current.recycledTo == nil {
                throw fail(.invalidInput, "is already enrolled in class \(current.classNumber); recycle the recruit to move classes")
            }
        }
        try nonEmpty(classNumber, "class")
        try nonEmpty(academy, "academy")
        guard start >= profile.hireDate else {
            throw fail(.invalidInput, "academy start \(start) is before the hire date \(profile.hireDate)")
        }
        // Enrolling in an upcoming class is normal: the entry is dated when it is recorded.
        let day = min(start, context.today)
        let ahead = policy(on: day).plausibility.academyStartMaximumMonthsAhead
        let far = try plausible(
            .academyFarAhead, ahead.map { start <= context.today.adding(months: $0) } ?? true, on: day,
            "academy start \(start) is more than \(ahead ?? 0) months ahead")
        return try record(
            .academyEnrolled(AcademyEnrolled(classNumber: classNumber, academy: academy, start: start, source: source)), on: day,
            overriding: [far])
    }

    func recordTest(_ test: AcademyTestKey, passed: Bool, score: Double?, instructor: String, on day: Day, source: String?) throws(DomainError)
        -> [Entry]
    {
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
        let rules = policy(on: day).academy
        let unknown = try plausible(
            .unknownAcademyTest, rules.knows(test), on: day, "\(test) is not a test the academy gives under the policy")
        let passingScore = rules.passingScore ?? 0
        let lowPass = try plausible(
            .passWithFailingScore, !passed || (score.map { $0 >= passingScore } ?? true), on: day,
            "\(test) is recorded as passed with a score of \(score.map { "\($0)" } ?? ""), below the passing score \(passingScore)")
        let allowed = rules.retestsAllowed + 1
        guard attempts.count < allowed else {
            throw fail(
                .retestLimit,
                "failed \(test) \(attempts.count) times and policy allows \(allowed) attempts; recycle the recruit into a later class or separate")
        }
        return try record(
            .academyTestRecorded(
                AcademyTestRecorded(test: test, attempt: attempts.count + 1, passed: passed, score: score, instructor: instructor, source: source)),
            on: day, overriding: [unknown, lowPass])
    }

    func graduate(on day: Day) throws(DomainError) -> [Entry] {
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
    }

    func recycle(toClass: String, reason: String, on day: Day) throws(DomainError) -> [Entry] {
        try requireRole(administrators, to: "recycle recruits")
        try hiredAndActive()
        guard let academy = file.academy, academy.graduatedOn == nil, academy.recycledTo == nil else {
            throw fail(.notInAcademy, "is not in an academy class to recycle from")
        }
        try nonEmpty(toClass, "class")
        try nonEmpty(reason, "reason")
        try notInFuture(day, "date")
        return try record(.academyRecycled(AcademyRecycled(toClass: toClass, reason: reason)), on: day)
    }
}
