// Probation, coursework, FTO qualification and corrections.

public struct ProbationStarted: TrainingEventPayload {
    public static let type = "probation.started.v1"
    public var start: Day
    public var end: Day
    public init(start: Day, end: Day) {
        self.start = start
        self.end = end
    }
}

public struct ProbationReviewed: TrainingEventPayload {
    public static let type = "probation.reviewed.v1"
    /// Months into probation the review covers (3, 6, 9, 12 …).
    public var interval: Int
    public var outcome: ReviewOutcome
    public var notes: String
    public init(interval: Int, outcome: ReviewOutcome, notes: String) {
        self.interval = interval
        self.outcome = outcome
        self.notes = notes
    }
}

/// Must be recorded before the current end date (Trejo v. County of Los Angeles).
public struct ProbationExtended: TrainingEventPayload {
    public static let type = "probation.extended.v1"
    public var newEnd: Day
    public var reason: String
    public init(newEnd: Day, reason: String) {
        self.newEnd = newEnd
        self.reason = reason
    }
}

public struct ProbationCompleted: TrainingEventPayload {
    public static let type = "probation.completed.v1"
    public var date: Day
    public init(date: Day) { self.date = date }
}

/// Schema version 2 records hours (v1 stored whole minutes) and the instructor who reviewed
/// the assessment (PC 13519.4); see ``EventCodec`` for the upcast.
public struct CourseCompleted: TrainingEventPayload {
    public static let type = "coursework.course-completed.v1"
    public static let schemaVersion = 2
    public var courseType: CourseType
    public var title: String
    public var hours: Double
    public var provider: String
    public var instructor: String?
    public var completedOn: Day
    public var certificateReference: String?
    public init(
        courseType: CourseType, title: String, hours: Double, provider: String, instructor: String?, completedOn: Day,
        certificateReference: String?
    ) {
        self.courseType = courseType
        self.title = title
        self.hours = hours
        self.provider = provider
        self.instructor = instructor
        self.completedOn = completedOn
        self.certificateReference = certificateReference
    }
}

/// Completed the 40-hour FTO course.
public struct FTOQualified: TrainingEventPayload {
    public static let type = "fto.qualified.v1"
    public var courseDate: Day
    public init(courseDate: Day) { self.courseDate = courseDate }
}

/// Completed the 24-hour FTO update (due every three years).
public struct FTOUpdateCompleted: TrainingEventPayload {
    public static let type = "fto.update-completed.v1"
    public var date: Day
    public init(date: Day) { self.date = date }
}

/// Barred from training others (AB 26: a substantiated abuse-of-force complaint, 3 years).
public struct FTOTrainingProhibited: TrainingEventPayload {
    public static let type = "fto.training-prohibited.v1"
    public var from: Day
    public var until: Day
    public var reason: String
    public init(from: Day, until: Day, reason: String) {
        self.from = from
        self.until = until
        self.reason = reason
    }
}

/// Replaces an earlier entry's content; the original stays in the log.
public struct EntryCorrected: TrainingEventPayload {
    public static let type = "record.entry-corrected.v1"
    public var entry: EntryID
    public var reason: String
    public var replacement: TrainingEvent
    public init(entry: EntryID, reason: String, replacement: TrainingEvent) {
        self.entry = entry
        self.reason = reason
        self.replacement = replacement
    }

    enum CodingKeys: String, CodingKey { case entry, reason, replacement }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        entry = try container.decode(EntryID.self, forKey: .entry)
        reason = try container.decode(String.self, forKey: .reason)
        replacement = try container.decode(EncodedTrainingEvent.self, forKey: .replacement).decoded()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry, forKey: .entry)
        try container.encode(reason, forKey: .reason)
        try container.encode(try EncodedTrainingEvent(replacement), forKey: .replacement)
    }
}

/// Withdraws an earlier entry: it no longer counts, but stays in the log.
public struct EntryRetracted: TrainingEventPayload {
    public static let type = "record.entry-retracted.v1"
    public var entry: EntryID
    public var reason: String
    public init(entry: EntryID, reason: String) {
        self.entry = entry
        self.reason = reason
    }
}
