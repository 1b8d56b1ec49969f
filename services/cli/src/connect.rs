//! Clients of the two services, with a deadline on every call.

use std::time::Duration;

use eastwest_proto::evaluation::v1::evaluation_service_client::EvaluationServiceClient;
use eastwest_proto::registry::v1::registry_service_client::RegistryServiceClient;
use tonic::transport::{Channel, Endpoint};

use crate::error::CliError;

const MAX_MESSAGE_BYTES: usize = 64 << 20;

/// Plain `http://host:port` only: TLS is not offered yet, and a URL without a scheme would
/// otherwise fail later with an obscure transport error.
pub fn check_url(url: &str) -> Result<(), String> {
    if url.starts_with("https://") {
        Err(format!("{url}: https is not supported yet; the services speak plaintext gRPC (use http://)"))
    } else if !url.starts_with("http://") {
        Err(format!("{url}: give the scheme, e.g. http://{url}"))
    } else {
        Ok(())
    }
}

fn channel(url: &str, timeout: Duration) -> Result<Channel, CliError> {
    check_url(url).map_err(CliError::Usage)?;
    let endpoint = Endpoint::from_shared(url.to_string())
        .map_err(|e| CliError::Usage(format!("{url:?} is not a URL: {e}")))?
        .connect_timeout(Duration::from_secs(5))
        .timeout(timeout)
        .tcp_nodelay(true);
    Ok(endpoint.connect_lazy())
}

pub fn registry(url: &str, timeout: Duration) -> Result<RegistryServiceClient<Channel>, CliError> {
    Ok(RegistryServiceClient::new(channel(url, timeout)?)
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES))
}

pub fn evaluation(url: &str, timeout: Duration) -> Result<EvaluationServiceClient<Channel>, CliError> {
    Ok(EvaluationServiceClient::new(channel(url, timeout)?).max_decoding_message_size(MAX_MESSAGE_BYTES))
}

/// `actors/{id}` from a name or a bare id.
pub fn named(collection: &str, arg: &str) -> String {
    if arg.starts_with(&format!("{collection}/")) { arg.to_string() } else { format!("{collection}/{arg}") }
}
