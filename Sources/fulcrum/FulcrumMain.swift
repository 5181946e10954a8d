import ArgumentParser
import FulcrumRuntime

/// `fulcrum`: the operator CLI. The command tree (`db`, `config`, `version`) lives in FulcrumRuntime.
@main
extension FulcrumCommand {}
