//! The RabbitMQ queue of [`Jobs::amqp`](super::Jobs::amqp), through lapin: a durable queue of
//! persistent messages holding job ids, consumed with manual acknowledgement, so a message of
//! a worker that dies unacknowledged goes to another.

use futures_util::StreamExt as _;
use futures_util::future::BoxFuture;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties, Consumer};

use super::{Delivery, JobError, Queue};

fn queue_error(e: impl std::fmt::Display) -> JobError {
    JobError::Queue(e.to_string())
}

/// Messages published and consumed on separate channels of one connection.
pub(super) struct Amqp {
    // Kept open for the channels' sake.
    _connection: Connection,
    publish: Channel,
    queue: String,
    consume: Channel,
    consumer: tokio::sync::Mutex<Option<Consumer>>,
}

impl Amqp {
    pub(super) async fn connect(url: &str, queue: &str) -> Result<Self, JobError> {
        let properties = ConnectionProperties::default()
            .with_executor(tokio_executor_trait::Tokio::current())
            .with_reactor(tokio_reactor_trait::Tokio::current());
        let connection = Connection::connect(url, properties)
            .await
            .map_err(queue_error)?;
        let publish = connection.create_channel().await.map_err(queue_error)?;
        let durable = QueueDeclareOptions {
            durable: true,
            ..QueueDeclareOptions::default()
        };
        publish
            .queue_declare(queue, durable, FieldTable::default())
            .await
            .map_err(queue_error)?;
        let consume = connection.create_channel().await.map_err(queue_error)?;
        Ok(Self {
            _connection: connection,
            publish,
            queue: queue.to_owned(),
            consume,
            consumer: tokio::sync::Mutex::new(None),
        })
    }
}

impl Queue for Amqp {
    fn push(&self, id: uuid::Uuid) -> BoxFuture<'_, Result<(), JobError>> {
        Box::pin(async move {
            // Persistent (delivery mode 2): kept across a broker restart.
            let properties = BasicProperties::default().with_delivery_mode(2);
            self.publish
                .basic_publish(
                    "",
                    self.queue.as_str(),
                    BasicPublishOptions::default(),
                    id.hyphenated().to_string().as_bytes(),
                    properties,
                )
                .await
                .map_err(queue_error)?
                .await
                .map_err(queue_error)?;
            Ok(())
        })
    }

    fn pull(&self) -> BoxFuture<'_, Result<Delivery, JobError>> {
        Box::pin(async move {
            let mut consumer = self.consumer.lock().await;
            if consumer.is_none() {
                // At most this many unacknowledged messages per worker process.
                self.consume
                    .basic_qos(64, BasicQosOptions::default())
                    .await
                    .map_err(queue_error)?;
                let tag = format!("specbind-{}", uuid::Uuid::new_v4().simple());
                *consumer = Some(
                    self.consume
                        .basic_consume(
                            self.queue.as_str(),
                            tag.as_str(),
                            BasicConsumeOptions::default(),
                            FieldTable::default(),
                        )
                        .await
                        .map_err(queue_error)?,
                );
            }
            let Some(stream) = consumer.as_mut() else {
                return Err(JobError::Queue("no consumer".into()));
            };
            loop {
                let delivery = match stream.next().await {
                    Some(d) => d.map_err(queue_error)?,
                    None => return Err(JobError::Queue("the AMQP consumer was cancelled".into())),
                };
                let acker = delivery.acker.clone();
                let ack: BoxFuture<'static, Result<(), JobError>> = Box::pin(async move {
                    acker
                        .ack(BasicAckOptions::default())
                        .await
                        .map(drop)
                        .map_err(queue_error)
                });
                match std::str::from_utf8(&delivery.data)
                    .ok()
                    .and_then(|s| s.parse().ok())
                {
                    Some(id) => return Ok(Delivery::with_ack(id, ack)),
                    None => {
                        // Not a job id: dropped, with a word in the log.
                        tracing::warn!(queue = %self.queue, "an AMQP message that is not a job id was dropped");
                        ack.await?;
                    }
                }
            }
        })
    }
}
