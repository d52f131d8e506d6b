import EventLogPostgres
import Foundation

/// The result of the last full verification of the log (chains and seals) this server ran,
/// from the reviewer's page or `GET /api/audit/verify`: pages show it on every load without
/// re-reading the log. Kept in memory: a restarted server has none until someone verifies
/// again (the page says so and offers the button); `muster audit verify` runs elsewhere.
actor LastVerification {
    struct Result: Sendable {
        var report: Audit.Report
        var at: Date
        var by: String
    }

    private(set) var last: Result?

    func record(_ report: Audit.Report, by user: String, at: Date = Date()) {
        last = Result(report: report, at: at, by: user)
    }
}
