"""Resolve one profile with botocore (the AWS CLI's resolver) and record every STS call it makes.

Usage: python3 botocore-calls.py < jobs.json, a JSON array of {"profile", "env"} (env holds
AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_ENDPOINT_URL, ...); each job runs in this one
process (botocore takes a second to import) with exactly that environment. Prints a JSON array
with, per job, one object:
{"calls": [{"action", "roleArn", "serial", "tokenCode", "externalId", "sessionName",
"duration", "region", "signer"}], "identity": ARN or null, "error": text or null}.
"signer" is the access key id in the SigV4 Authorization header of the call.
"""
import json
import os
import re
import sys
from urllib.parse import parse_qs

import botocore.session

calls = []


def record(request, **_):
    body = request.body
    if isinstance(body, bytes):
        body = body.decode()
    params = {key: values[0] for key, values in parse_qs(body or '').items()}
    auth = re.search(r'Credential=([^/]+)/\d+/([^/]+)/', request.headers.get('Authorization', b'').decode()
                     if isinstance(request.headers.get('Authorization'), bytes) else request.headers.get('Authorization', ''))
    calls.append({
        'action': params.get('Action'),
        'roleArn': params.get('RoleArn'),
        'serial': params.get('SerialNumber'),
        'tokenCode': params.get('TokenCode'),
        'externalId': params.get('ExternalId'),
        'sessionName': params.get('RoleSessionName'),
        'duration': int(params['DurationSeconds']) if 'DurationSeconds' in params else None,
        'region': auth.group(2) if auth else None,
        'signer': auth.group(1) if auth else None,
    })


def returned(parsed, **_):
    if calls and 'Credentials' in parsed:
        calls[-1]['returned'] = parsed['Credentials']['AccessKeyId']


def run(profile):
    calls.clear()
    session = botocore.session.Session(profile=profile)
    session.register('before-send.sts', record)
    session.register('after-call.sts.AssumeRole', returned)
    # mfa-env's fallback (and the test's): us-east-1 when neither the profile nor the environment names a region.
    if session.get_config_variable('region') is None:
        session.set_config_variable('region', 'us-east-1')
    provider = session.get_component('credential_provider').get_provider('assume-role')
    provider._prompter = lambda prompt: '123456'
    out = {'calls': calls, 'identity': None, 'error': None}
    try:
        credentials = session.get_credentials()
        if credentials is None:
            raise RuntimeError('no credentials')
        credentials.get_frozen_credentials()
        identity = session.create_client('sts', region_name=session.get_config_variable('region') or 'us-east-1').get_caller_identity()
        out['identity'] = identity['Arn']
    except Exception as error:  # the test compares the failure too
        out['error'] = f'{type(error).__name__}: {error}'
    out['calls'] = [call for call in calls if call['action'] != 'GetCallerIdentity']
    return out


def main():
    results = []
    base = dict(os.environ)
    for job in json.load(sys.stdin):
        os.environ.clear()
        os.environ.update(base)
        os.environ.update(job['env'])
        results.append(run(job['profile']))
    print(json.dumps(results))


main()
