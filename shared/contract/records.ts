// The record channels: facilities, people, interviews, incidents.
import {
  BulkIncidentsInput,
  BulkIncidentsOutput,
  Facility,
  FacilityInput,
  FacilityUpdate,
  Incident,
  IncidentInput,
  IncidentList,
  IncidentUpdate,
  Interview,
  InterviewInput,
  InterviewRow,
  InterviewUpdate,
  ListFacilitiesInput,
  ListIncidentsInput,
  ListInterviewsInput,
  ListPeopleInput,
  Person,
  PersonIdInput,
  PersonInput,
  PersonUpdate,
  SearchIncidentsInput,
  SimilarPeopleInput,
  SimilarPeopleOutput,
  TimelineOutput,
  listOf,
} from '../schemas';
import { crudChannels } from './crud';

export const facilityChannels = crudChannels(
  'facilities',
  'a facility',
  { record: Facility, input: FacilityInput, update: FacilityUpdate, listInput: ListFacilitiesInput, list: listOf(Facility) },
  { create: 'Add a detention facility', list: 'List facilities by name' },
);

export const peopleChannels = {
  ...crudChannels(
    'people',
    'a person',
    { record: Person, input: PersonInput, update: PersonUpdate, listInput: ListPeopleInput, list: listOf(Person) },
    {
      create: 'Add a detained client or class member (a filing code CM-### is allocated)',
      list: 'List people, sorted and filtered',
      delete: 'Delete a person (a tombstone: kept in history, restorable; the filing code is never reused)',
    },
  ),
  'people:similar': {
    summary: 'Before saving a person: who already holds the A-number, and who has a similar name',
    input: SimilarPeopleInput,
    output: SimilarPeopleOutput,
  },
  'people:timeline': {
    summary: "A person's interviews and incidents, in date order",
    input: PersonIdInput,
    output: TimelineOutput,
  },
};

export const interviewChannels = crudChannels(
  'interviews',
  'an interview',
  { record: Interview, input: InterviewInput, update: InterviewUpdate, listInput: ListInterviewsInput, list: listOf(InterviewRow) },
  { create: 'Start an interview with a person', list: 'List interviews, newest first' },
);

export const incidentChannels = {
  ...crudChannels(
    'incidents',
    'an incident',
    { record: Incident, input: IncidentInput, update: IncidentUpdate, listInput: ListIncidentsInput, list: IncidentList },
    { create: 'Log an incident a person reported', list: 'List incidents with person and facility names, filtered and sorted' },
  ),
  'incidents:bulk-create': {
    summary: 'Log many incidents in one transaction (all or nothing), each validated and versioned',
    input: BulkIncidentsInput,
    output: BulkIncidentsOutput,
    write: true,
  },
  'incidents:search': {
    summary: 'Full-text search over summaries and own words (any script), with the list filters; newest entered first',
    input: SearchIncidentsInput,
    output: IncidentList,
  },
} as const;
