import Foundation

/// Where to connect: a libpq connection string or URL.
///
/// An empty string means "libpq's defaults", that is the `PGHOST`, `PGPORT`, `PGUSER`,
/// `PGPASSWORD` and `PGDATABASE` environment variables, so `psql` and Muster agree.
public struct PostgresConfiguration: Sendable, Hashable, CustomStringConvertible {
    public var conninfo: String
    /// Overrides the database named by `conninfo`.
    public var database: String?
    public var applicationName: String
    /// Server options sent at connect (libpq's `options`), e.g. `-c role=muster_app` to act
    /// as the application's role.
    public var options: String?

    public init(conninfo: String = "", database: String? = nil, applicationName: String = "muster", options: String? = nil) {
        self.conninfo = conninfo
        self.database = database
        self.applicationName = applicationName
        self.options = options
    }

    /// `MUSTER_DATABASE_URL` when set, else libpq's own `PG*` variables.
    public static func fromEnvironment(
        _ environment: [String: String], variable: String = "MUSTER_DATABASE_URL"
    ) -> PostgresConfiguration {
        PostgresConfiguration(conninfo: environment[variable] ?? "")
    }

    /// The same server, another database.
    public func database(_ name: String) -> PostgresConfiguration {
        var copy = self
        copy.database = name
        return copy
    }

    /// The connection target with any password removed, for messages.
    public var description: String {
        var shown = conninfo.isEmpty ? "(PG* environment)" : conninfo
        if let range = shown.range(of: #"password=\S+"#, options: .regularExpression) {
            shown.replaceSubrange(range, with: "password=***")
        }
        if let range = shown.range(of: #"://[^:/@]+:[^@]+@"#, options: .regularExpression) {
            let userPart = shown[range].dropFirst(3).split(separator: ":").first ?? ""
            shown.replaceSubrange(range, with: "://\(userPart):***@")
        }
        if let database { shown += " database=\(database)" }
        return shown
    }
}

extension PostgresConfiguration {
    /// The connection as one libpq connection string (for tools such as `pg_dump --dbname`):
    /// `conninfo` with `database`, when set, in place of the database it names.
    public var connectionString: String {
        guard let database else { return conninfo }
        if conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://"), var components = URLComponents(string: conninfo) {
            components.path = "/" + database
            return components.string ?? conninfo
        }
        let quoted = database.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return conninfo + " dbname='\(quoted)'"
    }
}
