import CoreMetrics
import Foundation
public import Hummingbird
public import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle
import TrainingDomain
public import TrainingServices
import UnixSignals

/// `muster serve`: the HTTP API over the services. It authenticates, asks ``Permissions``,
/// maps errors to problems and renders JSON; the domain decides, the services read and write.
public struct MusterServer: Sendable {
    public let configuration: ServerConfiguration
    let pool: ConnectionPool
    let rosters: RosterCache
    let logger: Logger
    /// Each user's latest write, for reads from a replica (``boardReads(_:_:)``).
    let writePositions = WritePositions()
    /// The web pages' templates and static files.
    let web: WebTemplates
    let forecasts = ForecastCache()
    /// The last verification of the log this server ran (the reviewer's timeline shows it).
    let verifications = LastVerification()
    /// The agency's policies for the pages (read incrementally, like the roster).
    let policyBooks: PolicyCache

    public init(configuration: ServerConfiguration, logger: Logger? = nil) throws {
        try configuration.validate()
        var configuration = configuration
        var logger = logger ?? Logger(label: "muster.server")
        logger.logLevel = configuration.logLevel
        let replicaLogger = logger
        configuration.database.replicaPolicy.log = { replicaLogger.warning("\($0)") }
        configuration.database = configuration.database.acting(for: configuration.agency)
        self.configuration = configuration
        pool = ConnectionPool(
            database: configuration.database, agency: configuration.agency, accountSettings: configuration.accounts, size: configuration.poolSize,
            observe: Self.updatePoolGauges)
        rosters = RosterCache(agency: configuration.agency)
        policyBooks = PolicyCache(agency: configuration.agency)
        self.logger = logger
        web = try WebTemplates.load()
        ServerMetrics.bootstrap()
    }

    /// One operation of the API, as the router registers it (the permission test and the
    /// OpenAPI test read these).
    public struct Route: Sendable, Hashable {
        public enum Gate: Sendable, Hashable {
            /// Anyone (sign-in, health).
            case open
            /// Any signed-in user (their own session, tokens, second factor).
            case signedIn
            /// Those the permission table allows.
            case action(Permissions.Action)
        }
        public var method: String
        /// OpenAPI form: `/api/trainees/{id}/ft/dor`.
        public var path: String
        public var gate: Gate
        public var summary: String
        /// The JSON body's fields (`nil`: no body) and the query parameters: for the OpenAPI test.
        var fields: [Field]?
        var query: [String] = []
        public var isSignature: Bool {
            if case .action(let action) = gate { return Permissions.signatures.contains(action) }
            return false
        }
    }

    /// Every route the server answers.
    public var routes: [Route] { buildRouter().1 }

    /// The application, listening on the configured address; `onRunning` gets the bound port.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let (router, _) = buildRouter()
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "muster"),
            services: configuration.runProjector
                ? [PoolService(pool: pool), ForecastWarmer(server: self), ProjectorService(database: configuration.database, logger: logger)]
                : [PoolService(pool: pool), ForecastWarmer(server: self)],
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, then stops accepting, finishes the requests under way and
    /// closes the database connections.
    public func run() async throws {
        let app = application { port in logger.info("muster serve listening", metadata: ["address": "\(configuration.host):\(port)"]) }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    func buildRouter() -> (Router<MusterRequestContext>, [Route]) {
        let router = Router(context: MusterRequestContext.self)
        router.addMiddleware {
            RequestIDMiddleware(trustForwardedFor: configuration.trustForwardedFor)
            SecurityHeadersMiddleware(hsts: configuration.hsts)
            MetricsMiddleware()
            LogRequestsMiddleware(.info)
            ProblemMiddleware()
        }
        var builder = RouteBuilder(server: self, router: router)
        registerOperations(&builder)
        registerSession(&builder)
        registerRecords(&builder)
        registerBoards(&builder)
        registerAdministration(&builder)
        registerWeb(WebRoutes(server: self, router: router))
        return (router, builder.routes)
    }
}

/// Closes the pool when the server shuts down (after the HTTP server stopped taking requests).
struct PoolService: Service {
    let pool: ConnectionPool
    func run() async throws {
        try? await gracefulShutdown()
        await pool.close()
    }
}

/// A running server (tests start one on a free port, call it over HTTP, and stop it).
public final class RunningServer: Sendable {
    public let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    /// Starts `server` and waits until it listens.
    public static func start(_ server: MusterServer) async throws -> RunningServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = server.application { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: server.logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return RunningServer(port: port, group: group, task: task)
    }

    init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// Stops taking requests, lets those under way finish, and closes the connections.
    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

/// Metrics: swift-metrics over a Prometheus registry, bootstrapped once per process.
enum ServerMetrics {
    static let registry = PrometheusCollectorRegistry()
    private static let once: Void = { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }()
    static func bootstrap() { _ = once }

    static let appendedEvents = Counter(label: "muster_appended_events_total")
    static let poolSize = Gauge(label: "muster_pool_size")
    static let poolOpen = Gauge(label: "muster_pool_open")
    static let poolInUse = Gauge(label: "muster_pool_in_use")
    static let poolWaiting = Gauge(label: "muster_pool_waiting")
    static let projectorLag = Gauge(label: "muster_projector_lag_events")
    static let accessReads = Counter(label: "muster_access_log_rows_total")
}
