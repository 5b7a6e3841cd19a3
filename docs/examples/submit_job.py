#!/usr/bin/env python3
"""Submit an encoding job to an LstmWorkers cluster over RabbitMQ and wait for its end.

    python3 submit_job.py amqp://user:password@host:5672/vhost INPUT MODEL OUT

Needs only pika (Debian: python3-pika). Paths are as the coordinator sees them (under its
--data-root). Prints progress events and exits 0 when JobCompleted arrives, 1 on JobFailed,
JobRejected, or the broker refusing the submission.
"""
import json
import sys
import uuid
from datetime import datetime, timezone

import pika

CONTRACTS = "LstmWorkers.Contracts.Jobs"


def envelope(message_type, message, address):
    """MassTransit's JSON envelope: the message plus its type URN and addressing."""
    return json.dumps({
        "messageId": str(uuid.uuid4()),
        "conversationId": str(uuid.uuid4()),
        "destinationAddress": address,
        "messageType": [f"urn:message:{CONTRACTS}:{message_type}"],
        "message": message,
        "sentTime": datetime.now(timezone.utc).isoformat(),
        "headers": {},
    })


def main(broker, input_path, model_path, output_path):
    connection = pika.BlockingConnection(pika.URLParameters(broker))
    channel = connection.channel()
    channel.confirm_delivery()  # the broker answers every publish, so a refused submission raises at once

    # Listen for the job's events first: one private queue bound to each event's exchange
    # (MassTransit names the exchange after the message type; declaring it is idempotent).
    events = channel.queue_declare(queue="", exclusive=True).method.queue
    for event in ("JobProgressed", "JobCompleted", "JobFailed", "JobRejected"):
        exchange = f"{CONTRACTS}:{event}"
        channel.exchange_declare(exchange=exchange, exchange_type="fanout", durable=True)
        channel.queue_bind(queue=events, exchange=exchange)

    job_id = str(uuid.uuid4())
    job = {"jobId": job_id, "input": input_path, "modelPath": model_path, "outputPath": output_path,
           "outputs": "output,h_n,c_n"}
    try:
        channel.basic_publish(
            exchange="submit-encode-job",  # the coordinator's queue of that name is bound to it
            routing_key="",
            body=envelope("SubmitEncodeJob", job, "rabbitmq://localhost/submit-encode-job"),
            properties=pika.BasicProperties(content_type="application/vnd.masstransit+json", delivery_mode=2))
    except pika.exceptions.ChannelClosedByBroker as refusal:  # 406: larger than the broker's max_message_size
        print(f"refused by the broker: {refusal.reply_code} {refusal.reply_text}", file=sys.stderr)
        return 1
    print(f"submitted job {job_id}")

    for _method, _properties, body in channel.consume(events, auto_ack=True, inactivity_timeout=600):
        if body is None:
            print("no event for 10 minutes; giving up", file=sys.stderr)
            return 1
        event = json.loads(body)
        kind = event["messageType"][0].rsplit(":", 1)[-1]
        message = event["message"]
        if message.get("jobId") != job_id:
            continue
        if kind == "JobProgressed":
            print(f"progress: {message['rowsDone']}/{message['rowsTotal']} rows")
        elif kind == "JobCompleted":
            print(f"completed: {message['rows']} rows, {message['tokens']} tokens -> {message['outputPath']}")
            return 0
        else:
            print(f"{kind}: {message.get('reason')}", file=sys.stderr)
            return 1
    return 1


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
